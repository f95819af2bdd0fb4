import { createHash } from 'crypto';
import { canonicalize, KubeObject } from '../kube';
import { MODEL_CACHE_VOLUME } from '../serving/delivery';
import { commonLabels } from '../serving/labels';
import type { ResolvedVllmService } from './options';

/**
 * The loader Job: fills a shared ReadWriteMany cache once, before the serving pods start.
 *
 * - Pinned: it fetches `modelRevision` (`snapshot_download(revision=...)`), and the pods load the same revision with
 *   `--revision` offline; a tag or branch is resolved through the `refs/` file snapshot_download writes into the cache.
 * - Resumable: huggingface_hub keeps partial downloads as `.incomplete` blobs and continues them on the next attempt;
 *   each Job retry (backoffLimit) resumes instead of starting over.
 * - Verified: in the hub cache layout every blob is named by its etag (huggingface_hub `file_download.py`: `blob_path =
 *   <storage>/blobs/<etag>`), and for LFS files (the weights) the etag is the file's sha256. The script rehashes each
 *   64-hex blob of the snapshot and deletes any that does not match (so the retry downloads it again); small non-LFS
 *   files (config, tokenizer) are named by their git object id and are not rehashed. Only then it writes the marker.
 * - Fill once: a marker already present means done (the Job exits at once, offline), so a Job re-created after its
 *   TTL, or by a GitOps sync, never refetches; a new modelRevision is a new marker and a new Job.
 *
 * It uses the Python API (`snapshot_download`) rather than the CLI, whose name and flags moved between huggingface_hub
 * releases (`huggingface-cli download` to `hf download` in 1.0); `HF_HUB_ENABLE_HF_TRANSFER` is not set: huggingface_hub
 * 1.x ignores it (Xet transfers replaced hf_transfer) and 0.x fails when the package is missing.
 */
const LOADER_SCRIPT = [
  'import hashlib, os, sys',
  'from huggingface_hub import snapshot_download',
  'repo, revision, marker = sys.argv[1:4]',
  'if os.path.exists(marker):',
  '    print("already filled: " + open(marker).read().strip())',
  '    sys.exit(0)',
  'path = snapshot_download(repo_id=repo, revision=revision)',
  'bad, checked = [], 0',
  'for root, _, files in os.walk(path):',
  '    for f in files:',
  '        blob = os.path.realpath(os.path.join(root, f))',
  '        name = os.path.basename(blob)',
  '        if len(name) != 64:',
  '            continue',
  '        h = hashlib.sha256()',
  '        with open(blob, "rb") as fh:',
  '            for chunk in iter(lambda: fh.read(1 << 24), b""):',
  '                h.update(chunk)',
  '        checked += 1',
  '        if h.hexdigest() != name:',
  '            bad.append(os.path.relpath(os.path.join(root, f), path))',
  '            os.remove(blob)',
  'if bad:',
  '    print("sha256 mismatch, removed for the retry: " + ", ".join(bad))',
  '    sys.exit(1)',
  'os.makedirs(os.path.dirname(marker), exist_ok=True)',
  'with open(marker + ".tmp", "w") as fh:',
  '    fh.write("%s@%s commit %s, %d LFS files sha256-verified\\n" % (repo, revision, os.path.basename(path), checked))',
  'os.replace(marker + ".tmp", marker)',
  'print("filled " + open(marker).read().strip())',
].join('\n');

/** Labels of the loader's pods: the service's, but never its selector (the Service, PDB and pool must not pick them). */
function loaderPodLabels(r: ResolvedVllmService): Record<string, string> {
  return { ...commonLabels(r), 'app.kubernetes.io/name': 'model-loader', 'app.kubernetes.io/component': 'model-loader' };
}

function cacheMount(mountPath: string, readOnly?: boolean): Record<string, unknown> {
  return { name: MODEL_CACHE_VOLUME, mountPath, readOnly };
}

/** The Hugging Face environment of every container that reads the hub or its cache: HF_HOME, and the token if any. */
export function hubEnv(r: ResolvedVllmService, hfHome: string): Record<string, unknown>[] {
  const env: Record<string, unknown>[] = [{ name: 'HF_HOME', value: hfHome }];
  if (r.hfTokenSecret) env.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: r.hfTokenSecret.name, key: r.hfTokenSecret.key } } });
  return env;
}

/** The loader Job of a service (none unless its delivery path is `loaderJob`). */
export function renderModelLoader(r: ResolvedVllmService, hfHome: string): KubeObject[] {
  const loader = r.delivery.loader;
  if (!loader) return [];
  const env = hubEnv(r, hfHome);
  const spec = {
    backoffLimit: loader.backoffLimit,
    activeDeadlineSeconds: loader.activeDeadlineSeconds,
    ttlSecondsAfterFinished: loader.ttlSecondsAfterFinished,
    template: {
      metadata: { labels: loaderPodLabels(r) },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'loader',
            image: loader.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['python3', '-c', LOADER_SCRIPT, loader.repository, loader.revision, `${hfHome}/${loader.marker}`],
            env,
            resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '8Gi' } },
            volumeMounts: [cacheMount(hfHome)],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
        volumes: [{ name: MODEL_CACHE_VOLUME, persistentVolumeClaim: { claimName: r.modelCache.existingClaimName ?? `${r.name}-model-cache` } }],
      },
    },
  };
  // A Job's template is immutable: the name carries a hash of the spec, so a change is a new Job, never a failed apply.
  const hash = createHash('sha256').update(JSON.stringify(canonicalize({ spec } as unknown as KubeObject))).digest('hex').slice(0, 5);
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: `${r.name}-load-${hash}`,
        namespace: r.namespace,
        labels: { ...commonLabels(r), 'app.kubernetes.io/component': 'model-loader' },
        annotations: {
          'gpuplane.dev/model': `${loader.repository}@${loader.revision}`,
          'gpuplane.dev/deadline-estimate': loader.estimate,
          // The serving pods wait for the marker, so no deployer has to block on the download; Pulumi waits for a Job to
          // complete and fails the update after 10 minutes by default (@pulumi/kubernetes 4.34.2, batch/v1 Job).
          'pulumi.com/skipAwait': 'true',
        },
      },
      spec,
    },
  ];
}

/**
 * The serving pods' init container: waits until the loader's marker exists (the probes only start after it, so the
 * wait is not charged to the startup budget), for at most the Job's own deadline; then it fails with the reason and
 * the kubelet retries it with back-off.
 */
export function loaderWaitContainer(r: ResolvedVllmService, hfHome: string): Record<string, unknown> | undefined {
  const loader = r.delivery.loader;
  if (!loader) return undefined;
  const script = [
    'end=$(( $(date +%s) + $2 ))',
    'until [ -f "$1" ]; do',
    '  if [ "$(date +%s)" -ge "$end" ]; then echo "no $1 after $2 s: check the model-loader Job of $3 (kubectl get jobs -l app.kubernetes.io/instance=$3)"; exit 1; fi',
    '  echo "waiting for the model-loader Job of $3 to fill the cache"; sleep 10',
    'done',
    'cat "$1"',
  ].join('\n');
  return {
    name: 'wait-for-model',
    image: r.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', script, 'wait-for-model', `${hfHome}/${loader.marker}`, String(loader.activeDeadlineSeconds), r.name],
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
    volumeMounts: [cacheMount(hfHome, true)],
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  };
}
