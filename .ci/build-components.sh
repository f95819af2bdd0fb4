#!/usr/bin/env bash
# Builds the real components the integration tests run (kube-apiserver, etcd 3.5 and 3.6 with etcdctl and etcdutl)
# from their published Go modules, once, into a cache OUTSIDE the repository that later runs on the same machine reuse:
#
#   ${GPUPLANE_CACHE_DIR:-/var/cache/gpuplane}/
#     bin/        kube-apiserver, etcd-3.5, etcdctl-3.5, etcdutl-3.5, etcd-3.6, etcdctl-3.6, etcdutl-3.6
#     go/mod/     GOMODCACHE (module downloads)
#     go/build/   GOCACHE (compiled packages: a changed pin rebuilds only what changed)
#     src/        the writable copy of k8s.io/kubernetes the API server is built in
#     logs/       one build log per component
#
# Idempotent: a component whose binary is present and reports the pinned version is skipped. Prints the wall time and
# peak memory of each build. Usage: bash .ci/build-components.sh [component...]  (default: all)
# Components: kube-apiserver etcd-3.5 etcd-3.6. Set GPUPLANE_BUILD_NICE=0 to build without `nice -n 19`.
set -euo pipefail

K8S_VERSION=v1.34.4          # k8s.io/kubernetes; its staging modules resolve to k8s.io/*@v0.34.4
ETCD35_VERSION=v3.5.35
ETCD36_VERSION=v3.6.16

CACHE="${GPUPLANE_CACHE_DIR:-/var/cache/gpuplane}"
BIN="$CACHE/bin"
mkdir -p "$BIN" "$CACHE/go/mod" "$CACHE/go/build" "$CACHE/src" "$CACHE/logs"
export GOMODCACHE="$CACHE/go/mod" GOCACHE="$CACHE/go/build" GOFLAGS="-buildvcs=false" GOTOOLCHAIN=local GOWORK=off
export CGO_ENABLED=0
NICE=(nice -n 19)
[ "${GPUPLANE_BUILD_NICE:-19}" = 0 ] && NICE=()

command -v go >/dev/null 2>&1 || { echo "build-components: go is not installed (Go 1.26 is needed)"; exit 1; }

# One build at a time per cache (two CI runs on one machine share it).
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  echo "build-components: another build holds $CACHE/.lock; waiting"
  flock 9
fi

# run_timed NAME LOG CMD... : runs CMD under /usr/bin/time -v (when present), prints wall time and peak memory.
run_timed() {
  local name="$1" log="$2"; shift 2
  local start end rss=""
  start=$(date +%s)
  if [ -x /usr/bin/time ]; then
    if ! /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1; then
      echo "build-components: $name FAILED after $(( $(date +%s) - start ))s; last lines of $log:"; tail -n 30 "$log"; return 1
    fi
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MiB", $2/1024}' "$log.time")
  else
    if ! "$@" >"$log" 2>&1; then
      echo "build-components: $name FAILED after $(( $(date +%s) - start ))s; last lines of $log:"; tail -n 30 "$log"; return 1
    fi
  fi
  end=$(date +%s)
  echo "build-components: built $name in $(( end - start ))s${rss:+, peak memory $rss (largest single process)}"
}

# have BINARY VERSION-SUBSTRING : the cached binary exists and reports the pinned version.
have() {
  [ -x "$BIN/$1" ] && "$BIN/$1" --version 2>/dev/null | grep -q -- "$2"
}
have_etcdctl() {
  [ -x "$BIN/$1" ] && "$BIN/$1" version 2>/dev/null | grep -q -- "$2"
}

# json_field FIELD : reads one JSON object on stdin, prints .FIELD (node is always there: this is an npm project).
json_field() {
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]??""))' "$1"
}

# prepare_module MODULE VERSION STAGING_VERSION : prints the path of a writable copy of MODULE@VERSION (under
# $CACHE/src) whose replace directives are dropped. `go install` refuses modules with replace directives; the
# replacements point at sibling directories of the source repository (../api, ./staging/src/k8s.io/api) that are not
# part of the module zip. Each dropped module is then resolved from the proxy: at the version go.mod already requires
# (etcd), or, when STAGING_VERSION is given, at that published version of the same release (Kubernetes' staging
# modules are required as v0.0.0).
prepare_module() {
  local module="$1" version="$2" staging="${3:-}"
  local src="$CACHE/src/${module//\//_}@$version"
  if [ ! -f "$src/.prepared" ]; then
    local dir; dir=$(go mod download -json "$module@$version" | json_field Dir)
    [ -n "$dir" ] && [ -d "$dir" ] || { echo "build-components: go mod download $module@$version failed" >&2; return 1; }
    rm -rf "$src"
    cp -r "$dir" "$src"
    chmod -R u+w "$src"
    rm -rf "$src/go.work" "$src/go.work.sum" "$src/vendor"
    (
      cd "$src"
      local edits=() old
      for old in $(go mod edit -json | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{for(const r of JSON.parse(s).Replace??[])if(r.New.Path.startsWith("."))console.log(r.Old.Path)})'); do
        edits+=("-dropreplace=$old")
        if [ -n "$staging" ] && grep -q "^	$old v0.0.0" go.mod; then edits+=("-require=$old@$staging"); fi
      done
      [ "${#edits[@]}" -gt 0 ] && go mod edit "${edits[@]}"
    ) >&2
    touch "$src/.prepared"
  fi
  echo "$src"
}

build_etcd() {   # build_etcd MINOR VERSION
  local minor="$1" version="$2" plain="${2#v}"
  if have "etcd-$minor" "$plain" && have_etcdctl "etcdctl-$minor" "$plain" && have_etcdctl "etcdutl-$minor" "$plain"; then
    echo "build-components: etcd-$minor, etcdctl-$minor, etcdutl-$minor ($version) cached in $BIN"
    return 0
  fi
  # go.etcd.io/etcd/{server,etcdctl,etcdutl}/v3 carry replace directives too (../api, ../client/v3, ...), so the same
  # route as kube-apiserver: build inside a copy with them dropped; the siblings resolve to the same release.
  local m name src
  for m in server etcdctl etcdutl; do
    name=$m; [ "$m" = server ] && name=etcd
    src=$(prepare_module "go.etcd.io/etcd/$m/v3" "$version")
    ( cd "$src" && run_timed "$name $version" "$CACHE/logs/$name-$minor.log" \
        "${NICE[@]}" go build -mod=mod -trimpath -ldflags "-s -w" -o "$BIN/$name-$minor.tmp" . )
    mv "$BIN/$name-$minor.tmp" "$BIN/$name-$minor"
  done
  "$BIN/etcd-$minor" --version | head -n 1
}

build_kube_apiserver() {
  local staging="v0${K8S_VERSION#v1}"   # v1.34.4 -> v0.34.4
  if have kube-apiserver "Kubernetes $K8S_VERSION"; then
    echo "build-components: kube-apiserver ($K8S_VERSION) cached in $BIN"
    return 0
  fi
  local start src; start=$(date +%s)
  src=$(prepare_module k8s.io/kubernetes "$K8S_VERSION" "$staging")
  local ldflags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2)"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  ( cd "$src" && run_timed "kube-apiserver $K8S_VERSION (staging modules at $staging)" "$CACHE/logs/kube-apiserver.log" \
      "${NICE[@]}" go build -mod=mod -trimpath -ldflags "$ldflags" -o "$BIN/kube-apiserver.tmp" ./cmd/kube-apiserver )
  mv "$BIN/kube-apiserver.tmp" "$BIN/kube-apiserver"
  "$BIN/kube-apiserver" --version
  echo "build-components: kube-apiserver total (download, prepare, build) $(( $(date +%s) - start ))s"
}

components=("$@")
[ "${#components[@]}" -gt 0 ] || components=(etcd-3.5 etcd-3.6 kube-apiserver)
total_start=$(date +%s)
for c in "${components[@]}"; do
  case "$c" in
    etcd-3.5) build_etcd 3.5 "$ETCD35_VERSION" ;;
    etcd-3.6) build_etcd 3.6 "$ETCD36_VERSION" ;;
    kube-apiserver) build_kube_apiserver ;;
    *) echo "build-components: unknown component $c (kube-apiserver, etcd-3.5, etcd-3.6)"; exit 2 ;;
  esac
done
echo "build-components: done in $(( $(date +%s) - total_start ))s; binaries in $BIN"
