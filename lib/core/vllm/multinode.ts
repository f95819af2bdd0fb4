import { ProblemCollector } from '../errors';
import type { GpuSpec } from '../catalog/gpus';
import type { ModelSpec } from '../catalog/models';
import type { GpuPlacement } from '../gpu/placement';
import { KubeObject } from '../kube';
import { cacheClaimTemplates, groupSetName } from '../serving/delivery';
import { metadata } from '../serving/labels';
import { estimateVllmMemory, VllmMemoryInput } from './estimator';
import type { Interconnect, MultiNodeOptions } from './multinode-options';
import type { ResolvedVllmService } from './options';
import { versionAtLeast, VersionTuple } from './version';

/**
 * Multi-node VllmService: one replica is a group of pods, one per node, run by a LeaderWorkerSet
 * (`leaderworkerset.x-k8s.io/v1`, kubernetes-sigs/lws v0.10.0, `api/leaderworkerset/v1/leaderworkerset_types.go`).
 *
 * Layout (vllm-project/vllm `docs/serving/parallelism_scaling.md`): tensor parallelism inside a node (NVLink), pipeline
 * parallelism across nodes (one activation hand-off per stage boundary, which TCP carries). vLLM gives every node the
 * same number of consecutive ranks (rank = pipeline stage x TP + TP rank), so TP x PP must fill whole nodes and a TP
 * group must not straddle two nodes unless the fabric is RDMA.
 *
 * Launch, per pinned vLLM version:
 * - `native` (vLLM >= 0.12.0): `vllm serve` on every node with the same TP/PP, `--nnodes N --node-rank R
 *   --master-addr <leader> --master-port P`, ranks > 0 `--headless` (no API server). The multiprocessing executor
 *   learnt to span nodes in vllm-project/vllm#23691 ("[V1] Support MP Executor for multi node distributed inference",
 *   merged 2025-11-14, tested by its author on PP x TP and DP x PP x TP); `vllm/config/parallel.py` documents
 *   `nnodes`, `node_rank`, `master_addr`, `master_port` (default 29501) "when distributed_executor_backend is mp".
 *   0.12.0 is the first release certainly cut after the merge, so it is the boundary gpuplane uses.
 * - `ray` (0.8.5 <= vLLM < 0.12.0): the leader starts a Ray head and waits for the group, then runs `vllm serve
 *   --distributed-executor-backend ray`; workers join the head with `ray start --address <leader>:6379 --block`. This
 *   is LWS's own vLLM example (kubernetes-sigs/lws `docs/examples/vllm/GPU/lws.yaml`, image vllm/vllm-openai:v0.8.5),
 *   through the helper the image ships (vllm-project/vllm `examples/online_serving/multi-node-serving.sh`: the leader
 *   polls `ray.nodes()` until `--ray_cluster_size` nodes are alive, 300 s at most, then exits 0).
 * Older releases are refused: gpuplane cannot vouch for the helper's path or Ray's behaviour there.
 *
 * Both launches need the workers to start while the leader is not ready (the leader's API server waits for every
 * rank), so `startupPolicy` is `LeaderCreated`: with `LeaderReady` the workers would wait for a leader that waits for
 * them.
 *
 * Prefill/decode roles (LWS DisaggregatedSet, `disaggregatedset.x-k8s.io/v1`) plug in above this file: each role is a
 * ResolvedVllmService-like spec whose group is rendered by `leaderWorkerTemplate(r)` below; a DisaggregatedSet puts
 * one such template per role into `roles[]` instead of one LeaderWorkerSet per service.
 */

/** Where the native launch and the Ray launch start (see above). */
export const MULTI_NODE_MILESTONES = {
  /** LWS's vLLM example pins vllm/vllm-openai:v0.8.5 with `multi-node-serving.sh` under /vllm-workspace/examples/online_serving. */
  rayLaunch: '0.8.5',
  /** vllm-project/vllm#23691: `--nnodes/--node-rank/--master-addr/--headless` with the multiprocessing executor. */
  nativeLaunch: '0.12.0',
} as const;

/** The helper script in the vllm/vllm-openai image (LWS's example runs it from there). */
export const RAY_HELPER = '/vllm-workspace/examples/online_serving/multi-node-serving.sh';

/** LWS labels on every pod (`leaderworkerset_types.go`): the set name and the rank of the pod in its group (leader 0). */
export const LWS_NAME_LABEL = 'leaderworkerset.sigs.k8s.io/name';
export const LWS_WORKER_INDEX_LABEL = 'leaderworkerset.sigs.k8s.io/worker-index';

export type MultiNodeLaunch = 'native' | 'ray';

/** The resolved layout of a multi-node replica. */
export interface ResolvedMultiNode {
  /** Pods (nodes) per replica: the LeaderWorkerSet's `size`, leader included. */
  readonly nodes: number;
  /** The LeaderWorkerSet's name: `<name>-lws`, because LWS creates a headless Service named after the set for the pods' DNS names, which must not collide with the service's own. */
  readonly setName: string;
  readonly launch: MultiNodeLaunch;
  readonly interconnect: Interconnect;
  readonly socketInterface?: string;
  readonly ibHca?: string;
  readonly ibGidIndex?: number;
  readonly rdma?: { readonly resourceName: string; readonly count: number };
  readonly masterPort: number;
}

/** The longest service name that keeps `<name>-lws` within the 51 characters LWS names should stay under (FACTS.md: Kueue's limit is 39). */
export const MAX_MULTI_NODE_NAME = 47;

interface LayoutInput {
  readonly name: string;
  readonly tensorParallelSize: number;
  readonly pipelineParallelSize: number;
  readonly gpusPerNode: number;
  readonly placement?: GpuPlacement;
  readonly version: VersionTuple;
  readonly versionString: string;
  readonly multiNode?: MultiNodeOptions;
  readonly createNamespace?: boolean;
}

/**
 * The replica's layout: undefined when TP x PP fits one node (a Deployment), else the group. Adds every problem of
 * the layout to `p` and advice to `warnings`.
 */
export function resolveMultiNode(i: LayoutInput, p: ProblemCollector, warnings: string[]): ResolvedMultiNode | undefined {
  const tp = i.tensorParallelSize;
  const pp = i.pipelineParallelSize;
  const gpn = i.gpusPerNode;
  const ranks = tp * pp;
  if (i.placement?.shared && pp > 1) {
    p.add({ field: 'pipelineParallelSize', message: `must be 1 on a ${i.placement.profile ? `MIG instance (${i.placement.profile})` : 'shared GPU'}; a pod gets one unit and cannot span units`, value: pp, fix: 'use a pool of whole GPUs for pipeline parallelism' });
    return undefined;
  }
  if (ranks <= gpn) {
    p.check(i.multiNode === undefined, {
      field: 'multiNode', message: `only applies when tensorParallelSize x pipelineParallelSize (${ranks}) exceeds the GPUs of one node (${gpn}); this service runs on one node`, value: i.multiNode,
      fix: 'drop multiNode',
    });
    return undefined;
  }
  const m = i.multiNode ?? {};
  const interconnect = m.interconnect ?? 'ethernet';
  const rdmaFabric = interconnect !== 'ethernet';
  const exampleFits = `tensorParallelSize ${gpn} with pipelineParallelSize ${Math.ceil(ranks / gpn)}`;
  if (tp > gpn) {
    p.check(rdmaFabric, {
      field: 'tensorParallelSize', message: `(${tp}) exceeds the GPUs of one node (${gpn}), so tensor-parallel all-reduces (two per layer, every token) would cross the node network; over Ethernet/TCP that is several times slower than NVLink and the server crawls`, value: tp,
      allowed: `1..${gpn} (more only with multiNode.interconnect 'infiniband' or 'roce')`,
      fix: `keep tensor parallelism inside the node and span nodes with pipeline parallelism (${exampleFits}), or declare an RDMA fabric with multiNode.interconnect`,
    });
    p.check(tp % gpn === 0, {
      field: 'tensorParallelSize', message: `(${tp}) spans nodes, so it must be a multiple of the GPUs of one node (${gpn}); vLLM gives each node ${gpn} consecutive ranks`, value: tp,
      allowed: `multiples of ${gpn}`, fix: `use ${exampleFits}`,
    });
  } else {
    p.check(gpn % tp === 0, {
      field: 'tensorParallelSize', message: `(${tp}) must divide the GPUs of one node (${gpn}) when the replica spans nodes; otherwise a tensor-parallel group straddles two nodes`, value: tp,
      allowed: Array.from({ length: gpn }, (_, k) => k + 1).filter((d) => gpn % d === 0).join(', '), fix: `use ${exampleFits}`,
    });
  }
  p.check(ranks % gpn === 0, {
    field: 'pipelineParallelSize', message: `gives ${ranks} ranks (tensorParallelSize ${tp} x pipelineParallelSize ${pp}), which do not fill whole nodes of ${gpn} GPUs; vLLM gives every node the same number of ranks`, value: pp,
    allowed: `values that make TP x PP a multiple of ${gpn}`, fix: `use ${exampleFits}`,
  });
  const native = versionAtLeast(i.version, MULTI_NODE_MILESTONES.nativeLaunch);
  p.check(versionAtLeast(i.version, MULTI_NODE_MILESTONES.rayLaunch), {
    field: 'vllmVersion', message: `(${i.versionString}) is older than ${MULTI_NODE_MILESTONES.rayLaunch}, the first release gpuplane launches across nodes (LWS's example runs Ray from the image's ${RAY_HELPER} on v0.8.5)`, value: i.versionString,
    allowed: `>= ${MULTI_NODE_MILESTONES.rayLaunch}`, fix: `use ${MULTI_NODE_MILESTONES.nativeLaunch} or later for vLLM's own multi-node launch`,
  });
  p.check(/^[a-z]/.test(i.name) && i.name.length <= MAX_MULTI_NODE_NAME, {
    field: 'name', message: `must start with a letter and have at most ${MAX_MULTI_NODE_NAME} characters for a multi-node service: its LeaderWorkerSet '${i.name}-lws' names a headless Service (DNS-1035) and its pods '<set>-<group>-<rank>'`, value: i.name,
    fix: 'shorten the name, e.g. "llama-405b"',
  });
  for (const key of ['ibHca', 'ibGidIndex', 'rdma'] as const) {
    p.check(rdmaFabric || m[key] === undefined, {
      field: `multiNode.${key}`, message: `only applies on an RDMA fabric; with interconnect 'ethernet' NCCL uses TCP sockets and ignores it`, value: m[key],
      fix: "set multiNode.interconnect to 'infiniband' or 'roce', or drop it",
    });
  }
  if (rdmaFabric && m.rdma === undefined) {
    warnings.push(`VllmService '${i.name}' declares multiNode.interconnect '${interconnect}' without multiNode.rdma: unless the pods get an RDMA device some other way (host network, a CNI that injects it), NCCL finds no HCA in the pod and falls back to TCP sockets. Set multiNode.rdma to the device plugin's resource (e.g. rdma/ib), and check NCCL_DEBUG=INFO shows NET/IB, not NET/Socket.`);
  }
  if (m.rdma && !i.createNamespace) {
    warnings.push(`VllmService '${i.name}' adds the IPC_LOCK capability GPUDirect RDMA needs, which PodSecurity 'baseline' and 'restricted' refuse: the namespace must enforce 'privileged' (label pod-security.kubernetes.io/enforce=privileged), or set createNamespace and gpuplane labels it.`);
  }
  if (!native) {
    warnings.push(`VllmService '${i.name}' runs vLLM ${i.versionString} across nodes through Ray (vLLM's own multi-node launch needs ${MULTI_NODE_MILESTONES.nativeLaunch}); the leader waits at most 300 s for the workers to join before it fails and LWS recreates the group.`);
  }
  return {
    nodes: Math.max(1, Math.ceil(ranks / gpn)), setName: groupSetName(i.name), launch: native ? 'native' : 'ray', interconnect,
    socketInterface: m.socketInterface, ibHca: m.ibHca, ibGidIndex: m.ibGidIndex,
    rdma: m.rdma ? { resourceName: m.rdma.resourceName, count: m.rdma.count ?? 1 } : undefined,
    masterPort: m.masterPort ?? 29501,
  };
}

/** Seconds for a group to form: Ray head + workers joining + placement group, or the TCP rendezvous. */
export const GROUP_FORM_SECONDS: Readonly<Record<ResolvedMultiNode['launch'], number>> = { ray: 120, native: 60 };

/**
 * The multi-node fix for a model that does not fit: the fewest nodes (TP = gpusPerNode, PP = nodes) on which the
 * per-rank estimate fits, as a sentence with the per-rank numbers; undefined when none up to 8 nodes fits.
 */
export function multiNodeFix(input: VllmMemoryInput, model: ModelSpec, gpu: GpuSpec, gpusPerNode: number, currentRanks: number): string | undefined {
  const heads = model.attentionHeads;
  if (heads !== undefined && heads % gpusPerNode !== 0) return undefined;
  // The fewest nodes that hold a few requests of maxModelLen at once (a layout that fits one request only queues),
  // else the fewest that fit at all.
  let firstFit: string | undefined;
  for (let nodes = 2; nodes <= 8; nodes++) {
    if (gpusPerNode * nodes <= currentRanks || model.layers < nodes) continue;
    const e = estimateVllmMemory({ ...input, tensorParallelSize: gpusPerNode, pipelineParallelSize: nodes, nodes });
    if (!e.fits) continue;
    const sentence = `span nodes: tensorParallelSize: ${gpusPerNode}, pipelineParallelSize: ${nodes} on ${nodes} nodes of ${gpusPerNode} x ${gpu.id} fits, with ${e.weightsGiBPerGpu} GiB of weights and ${e.availableKvGiB} GiB of KV cache per rank (${e.maxConcurrency} requests of maxModelLen at once)`;
    if (e.maxConcurrency >= MIN_ADVISED_CONCURRENCY) return sentence;
    firstFit ??= sentence;
  }
  return firstFit;
}

/** Whole maxModelLen requests a suggested layout must hold at once. */
const MIN_ADVISED_CONCURRENCY = 4;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** NCCL's environment, the same on every rank. */
function ncclEnv(m: ResolvedMultiNode): Obj[] {
  const env: Obj[] = [];
  if (m.socketInterface) env.push({ name: 'NCCL_SOCKET_IFNAME', value: m.socketInterface }, { name: 'GLOO_SOCKET_IFNAME', value: m.socketInterface });
  if (m.ibHca) env.push({ name: 'NCCL_IB_HCA', value: m.ibHca });
  if (m.ibGidIndex !== undefined) env.push({ name: 'NCCL_IB_GID_INDEX', value: String(m.ibGidIndex) });
  return env;
}

/** Replaces the serving args' TP/PP-independent launch part: what each rank runs. */
function rankCommand(r: ResolvedVllmService, role: 'leader' | 'worker', serveArgs: readonly string[]): { command: string[]; args: string[] } {
  const m = r.multiNode!;
  if (m.launch === 'native') {
    // Kubernetes expands $(VAR) from the container's environment, where LWS injects LWS_LEADER_ADDRESS and LWS_WORKER_INDEX.
    const launch = ['--nnodes', String(m.nodes), '--node-rank', role === 'leader' ? '0' : '$(LWS_WORKER_INDEX)', '--master-addr', '$(LWS_LEADER_ADDRESS)', '--master-port', String(m.masterPort)];
    return { command: ['vllm', 'serve'], args: [...serveArgs, ...launch, ...(role === 'worker' ? ['--headless'] : [])] };
  }
  if (role === 'worker') {
    return { command: ['/bin/sh', '-c'], args: [`bash ${RAY_HELPER} worker --ray_address=$(LWS_LEADER_ADDRESS)`] };
  }
  const quoted = [...serveArgs, '--distributed-executor-backend', 'ray'].map(shellQuote).join(' ');
  return { command: ['/bin/sh', '-c'], args: [`bash ${RAY_HELPER} leader --ray_cluster_size=$(LWS_GROUP_SIZE) && exec vllm serve ${quoted}`] };
}

/** A word for `sh -c`: plain words as they are, anything else in single quotes. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** The leader's or a worker's pod template, from the single-node pod template the Deployment would run. */
function rankTemplate(r: ResolvedVllmService, base: Obj, role: 'leader' | 'worker'): Obj {
  const m = r.multiNode!;
  const t: Obj = JSON.parse(JSON.stringify(base));
  const spec = t.spec;
  // Each pod takes a whole node's GPUs, so spreading pods over hostnames adds nothing; the scheduler places one per node.
  delete spec.topologySpreadConstraints;
  const c = spec.containers[0];
  const serveArgs: string[] = c.args;
  Object.assign(c, rankCommand(r, role, serveArgs));
  c.env = [...c.env, ...ncclEnv(m)];
  if (m.rdma) {
    c.resources.requests[m.rdma.resourceName] = String(m.rdma.count);
    c.resources.limits[m.rdma.resourceName] = String(m.rdma.count);
    // GPUDirect RDMA pins memory (vllm-project/vllm docs/serving/parallelism_scaling.md: IPC_LOCK and /dev/shm).
    c.securityContext = { ...c.securityContext, capabilities: { drop: ['ALL'], add: ['IPC_LOCK'] } };
  }
  if (role === 'worker') {
    // Workers serve no API: no port, no probes (a dead rank exits, and RecreateGroupOnPodRestart restarts the group).
    delete c.ports;
    delete c.startupProbe;
    delete c.readinessProbe;
    delete c.livenessProbe;
    delete c.lifecycle;
  }
  t.metadata = { ...t.metadata, annotations: { ...t.metadata.annotations, 'gpuplane.dev/rank-role': role } };
  return t;
}

/** `spec.leaderWorkerTemplate` of the group: what a DisaggregatedSet role would carry as well. */
export function leaderWorkerTemplate(r: ResolvedVllmService, base: Obj): Obj {
  const m = r.multiNode!;
  return {
    size: m.nodes,
    // Any rank's restart leaves NCCL communicators half-broken; only a fresh group recovers.
    restartPolicy: 'RecreateGroupOnPodRestart',
    leaderTemplate: rankTemplate(r, base, 'leader'),
    workerTemplate: rankTemplate(r, base, 'worker'),
    // Per-replica caches: every rank downloads the whole checkpoint, so each pod of a group keeps its own claim
    // (kept when the group is recreated or scaled down, like the single-node StatefulSet's claims).
    ...(r.modelCache.mode === 'perReplica'
      ? { volumeClaimTemplates: cacheClaimTemplates(r), persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } }
      : {}),
  };
}

/** Groups a rollout may surge: only into declared spare GPUs, a whole group's worth each. */
export function groupRollout(r: ResolvedVllmService): Obj {
  const groupGpus = r.gpusPerPod * r.multiNode!.nodes;
  const surge = Math.floor(r.spareGpus / groupGpus);
  // Units are groups. maxSurge 0 / maxUnavailable 1 takes one group down, then brings its replacement up on the
  // same GPUs: it never needs a GPU the cluster does not have (a surge group would stay Pending and the rollout with it).
  return { type: 'RollingUpdate', rollingUpdateConfiguration: surge >= 1 ? { maxSurge: surge, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: 1 } };
}

/** The LeaderWorkerSet of a multi-node service, from the pod template the single-node Deployment would run. */
export function renderLeaderWorkerSet(r: ResolvedVllmService, base: Obj, annotations?: Record<string, string>): KubeObject {
  const m = r.multiNode!;
  return {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: metadata(r, m.setName, annotations ? { annotations } : undefined),
    spec: {
      replicas: r.autoscaling ? undefined : r.replicas,
      // The workers must start while the leader waits for them (its API server needs every rank).
      startupPolicy: 'LeaderCreated',
      rolloutStrategy: groupRollout(r),
      leaderWorkerTemplate: leaderWorkerTemplate(r, base),
    },
  };
}

/**
 * Labels of a namespace gpuplane creates for the service: GPUDirect RDMA's IPC_LOCK is outside PodSecurity baseline
 * (kubernetes.io Pod Security Standards: baseline allows only the default capabilities), so such a namespace enforces
 * 'privileged'.
 */
export function multiNodeNamespaceLabels(m: ResolvedMultiNode | undefined): Record<string, string> | undefined {
  return m?.rdma ? { 'pod-security.kubernetes.io/enforce': 'privileged' } : undefined;
}

/** Labels that select the leader pods only (the API server): the Service routes there. */
export function leaderSelector(): Record<string, string> {
  return { [LWS_WORKER_INDEX_LABEL]: '0' };
}
