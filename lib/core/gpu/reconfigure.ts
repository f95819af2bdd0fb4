import { disruptionBudgetPolicy } from '../serving/workload';
import { POOL_LABEL, ResolvedGpuPool } from './pool';

/** A service placed on a pool, as the drain check needs it. */
export interface PlacedWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly poolName: string;
  readonly minReplicas: number;
  /** The PodDisruptionBudget: how many pods may be down at once (minAvailable N of R replicas is R - N). */
  readonly disruptionsAllowed: number;
}

/** Anything placed on a pool that can say so (a VllmService, a fleet's services): pools find it through this, not its class. */
export interface PlacedWorkloadSource {
  /** The drain-relevant facts, or undefined when not on a pool. */
  readonly placedWorkload: PlacedWorkload | undefined;
}

/** Whether a construct (or any value) is a PlacedWorkloadSource. */
export function isPlacedWorkloadSource(x: unknown): x is PlacedWorkloadSource {
  return typeof x === 'object' && x !== null && 'placedWorkload' in x;
}

/** The drain-relevant facts of a VllmService placed on a pool (undefined when it is not on a pool). */
export function placedWorkloadOf(r: { name: string; namespace: string; minReplicas: number; placement?: { poolName: string } }): PlacedWorkload | undefined {
  if (!r.placement) return undefined;
  return { name: r.name, namespace: r.namespace, poolName: r.placement.poolName, minReplicas: r.minReplicas, disruptionsAllowed: disruptionBudgetPolicy(r.minReplicas).disruptionsAllowed };
}

/**
 * Changing a MIG layout needs the GPUs free: the MIG manager never evicts pods. The procedure, node by node:
 * cordon, evict the GPU pods through the Eviction API (so PodDisruptionBudgets are honoured), relabel, wait for
 * `nvidia.com/mig.config.state=success`, uncordon.
 */
export function migReconfigurationScript(pool: ResolvedGpuPool, newConfig: string = pool.name): string {
  return `#!/usr/bin/env bash
# Reconfigure MIG on the nodes of GPU pool '${pool.name}' to mig-parted config '${newConfig}', one node at a time.
# The MIG manager only repartitions idle GPUs and never evicts pods, so this script frees the GPUs first.
# Requires kubectl and jq. Usage: $0 [--dry-run]
set -euo pipefail
DRY_RUN=\${1:-}
POOL='${pool.name}'
CONFIG='${newConfig}'
TIMEOUT=\${MIG_TIMEOUT:-15m}

run() { if [ "$DRY_RUN" = "--dry-run" ]; then echo "+ $*"; else "$@"; fi; }

nodes=$(kubectl get nodes -l '${POOL_LABEL}='"$POOL" -o jsonpath='{.items[*].metadata.name}')
[ -n "$nodes" ] || { echo "no nodes carry ${POOL_LABEL}=$POOL" >&2; exit 1; }

for node in $nodes; do
  echo "== $node"
  run kubectl cordon "$node"
  # Pods on the node that request any nvidia.com resource (whole GPUs, MIG instances, shared replicas).
  gpu_pods=$(kubectl get pods -A --field-selector "spec.nodeName=$node,status.phase=Running" -o json \\
    | jq -r '.items[] | select([.spec.containers[].resources.limits // {} | keys[] | startswith("nvidia.com/")] | any) | "\\(.metadata.namespace) \\(.metadata.name)"')
  while read -r ns pod; do
    [ -n "$ns" ] || continue
    echo "evicting $ns/$pod (PodDisruptionBudgets apply; a blocked eviction is retried)"
    until run kubectl create --raw "/api/v1/namespaces/$ns/pods/$pod/eviction" -f - <<EVICTION
{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"$pod","namespace":"$ns"}}
EVICTION
    do echo "eviction of $ns/$pod refused (PodDisruptionBudget?); retrying in 10s"; sleep 10; done
    run kubectl wait --for=delete "pod/$pod" -n "$ns" --timeout="$TIMEOUT"
  done <<< "$gpu_pods"
  run kubectl label node "$node" "nvidia.com/mig.config=$CONFIG" --overwrite
  if [ "$DRY_RUN" != "--dry-run" ]; then
    kubectl wait node "$node" --for=jsonpath='{.metadata.labels.nvidia\\.com/mig\\.config\\.state}'=success --timeout="$TIMEOUT" || {
      echo "nvidia.com/mig.config.state did not reach success on $node; it stays cordoned. Check the MIG manager logs." >&2; exit 1; }
  fi
  run kubectl uncordon "$node"
done
echo "pool $POOL now runs mig-parted config $CONFIG"
`;
}

/**
 * Warnings for services whose PodDisruptionBudgets would block the drain of a reconfiguration: a single replica
 * guarded by its budget blocks forever; replicas that can only be replaced on the pool itself block while the
 * pool has no free unit elsewhere.
 */
export function drainWarnings(pool: ResolvedGpuPool, workloads: readonly PlacedWorkload[]): string[] {
  const out: string[] = [];
  for (const w of workloads.filter((x) => x.poolName === pool.name)) {
    const id = `${w.namespace}/${w.name}`;
    if (w.disruptionsAllowed < 1) {
      out.push(`${id}: its PodDisruptionBudget allows no pod down (${w.minReplicas} replica${w.minReplicas === 1 ? '' : 's'}); evictions during the MIG reconfiguration of pool '${pool.name}' block until you scale it up or remove the budget.`);
    } else if (pool.nodes.max <= 1) {
      out.push(`${id}: pool '${pool.name}' has a single node, so evicted pods cannot be rescheduled while it is cordoned; expect an outage of ${id} during the reconfiguration.`);
    } else if (w.minReplicas > pool.nodes.min - 1 && w.disruptionsAllowed < w.minReplicas) {
      out.push(`${id}: ${w.minReplicas} replicas on a pool of ${pool.nodes.min} node(s); each drain waits until a replacement is Ready on another node of the pool, which needs a free ${pool.kind === 'mig' ? 'MIG instance' : 'GPU'} there.`);
    }
  }
  return out;
}
