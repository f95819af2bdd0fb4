import { ProblemCollector } from '../errors';
import { findGpu, GPU_IDS, GpuSpec } from '../catalog/gpus';
import { canonicalize, KubeObject, parseQuantity } from '../kube';
import { dnsLabel, dnsSubdomain, labels, quantity } from '../options/formats';
import { arr, checkOptions, num, obj, oneOf, opt, Schema, str } from '../options/schema';
import type { Toleration } from '../gpu/pool';
import { assertValidObjects } from '../validate';

/**
 * Kueue queues with GPU quota (Kueue v0.19, API `kueue.x-k8s.io/v1beta2`, the CRDs' storage version): one
 * ResourceFlavor per GPU flavor (its node labels steer admitted pods onto those nodes), a ClusterQueue with a
 * nominal quota per flavor on `nvidia.com/gpu`, `cpu` and `memory`, and LocalQueues in the namespaces whose
 * workloads it admits. Kueue admits a workload only when every resource its pods request is covered by the
 * ClusterQueue, so CPU and memory carry quota too.
 */
export const KUEUE_API = 'kueue.x-k8s.io/v1beta2';
/** The label Kueue's integrations (Deployment, StatefulSet, LeaderWorkerSet, Job...) read the LocalQueue from. */
export const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';

/** One GPU flavor of the ClusterQueue: the GPU, its node labels and taints, and its GPU, CPU and memory quota. */
export interface KueueFlavorOptions {
  /** ResourceFlavor name (DNS subdomain), e.g. 'h100'. */
  readonly name: string;
  /** Catalog GPU id of the flavor's nodes; matches services to flavors in the quota check. */
  readonly gpu: string;
  /** Quota of this flavor: GPUs, CPU and memory (Kueue admits nothing whose requests a covered resource lacks). */
  readonly quota: { readonly gpus: number; readonly cpu: string; readonly memory: string };
  /** GPUs this ClusterQueue may borrow from its cohort on top of the quota. @default - no limit within the cohort (none without a cohort) */
  readonly borrowingLimitGpus?: number;
  /**
   * Node labels of the flavor's nodes; Kueue adds them to the admitted pods' node selection.
   * @default - { 'nvidia.com/gpu.product': <the GPU's GPU Feature Discovery label> }
   */
  readonly nodeLabels?: Record<string, string>;
  /** Tolerations Kueue adds to admitted pods. @default [] - gpuplane's workloads carry their own */
  readonly tolerations?: readonly Toleration[];
}

/** Kueue queues for GPU workloads: one ClusterQueue with a quota per GPU flavor and the LocalQueues that feed it. */
export interface KueueQueuesOptions {
  /** The ClusterQueue's name. */
  readonly clusterQueue: string;
  /** One entry per GPU flavor, in the order Kueue tries them. */
  readonly flavors: readonly KueueFlavorOptions[];
  /** LocalQueues: workloads name one with the `kueue.x-k8s.io/queue-name` label (VllmService `queue`). */
  readonly localQueues: readonly { readonly name: string; readonly namespace: string }[];
  /** Cohort the ClusterQueue borrows from and lends to. @default - none: the quota is all it gets */
  readonly cohort?: string;
  /** @default 'BestEffortFIFO' - a large workload that does not fit yet does not block smaller ones */
  readonly queueingStrategy?: 'StrictFIFO' | 'BestEffortFIFO';
  /** @default 'LowerPriority' - a higher-priority service can take GPUs from lower-priority ones of this queue */
  readonly preemptionWithinClusterQueue?: 'Never' | 'LowerPriority' | 'LowerOrNewerEqualPriority';
}

/** A resolved GPU flavor of the ClusterQueue: its ResourceFlavor and its quota. */
export interface KueueFlavor {
  readonly name: string;
  readonly gpu: GpuSpec;
  readonly gpus: number;
  readonly cpu: number;
  readonly memoryBytes: number;
  readonly borrowingLimitGpus?: number;
  readonly nodeLabels: Readonly<Record<string, string>>;
}

/** A LocalQueue as a workload's typed link: the queue name and what its ClusterQueue can ever admit. */
export interface KueueLocalQueue {
  readonly name: string;
  readonly namespace: string;
  readonly clusterQueue: string;
  readonly cohort?: string;
  readonly flavors: readonly KueueFlavor[];
}

/** What renderKueueQueues returns: the objects and the LocalQueue handles a VllmService `queue` takes. */
export interface KueueQueuesRender {
  readonly objects: readonly KubeObject[];
  readonly localQueues: readonly KueueLocalQueue[];
  /** The LocalQueue named `name` (in `namespace` when several share the name). */
  localQueue(name: string, namespace?: string): KueueLocalQueue;
}

const TOLERATION = obj<Toleration>({ key: str({ minLength: 1 }), operator: oneOf(['Equal', 'Exists']), value: opt(str()), effect: str() });

/** The option schema of renderKueueQueues. */
export const KUEUE_QUEUES_OPTIONS: Schema<KueueQueuesOptions> = obj<KueueQueuesOptions>({
  clusterQueue: dnsSubdomain('e.g. "gpu-inference"'),
  flavors: arr(obj<KueueFlavorOptions>({
    name: dnsSubdomain('e.g. "h100"'),
    gpu: oneOf(GPU_IDS as [string, ...string[]], 'pick a catalog GPU'),
    quota: obj<KueueFlavorOptions['quota']>({ gpus: num({ integer: true, min: 0, fix: 'the GPUs of the flavor this queue may use' }), cpu: quantity('128'), memory: quantity('1024Gi') }),
    borrowingLimitGpus: opt(num({ integer: true, min: 0 })),
    nodeLabels: opt(labels()),
    tolerations: opt(arr(TOLERATION)),
  }), { minItems: 1 }),
  localQueues: arr(obj<{ readonly name: string; readonly namespace: string }>({ name: dnsSubdomain(), namespace: dnsLabel(63) }), { minItems: 1 }),
  cohort: opt(dnsSubdomain()),
  queueingStrategy: opt(oneOf(['StrictFIFO', 'BestEffortFIFO'])),
  preemptionWithinClusterQueue: opt(oneOf(['Never', 'LowerPriority', 'LowerOrNewerEqualPriority'])),
});

/** Renders the ResourceFlavors, the ClusterQueue and the LocalQueues, validated against their schemas. */
export function renderKueueQueues(o: KueueQueuesOptions): KueueQueuesRender {
  const subject = `KueueQueues '${o.clusterQueue}'`;
  checkOptions(subject, KUEUE_QUEUES_OPTIONS, o);
  const p = new ProblemCollector();
  const seen = new Set<string>();
  const flavors: KueueFlavor[] = o.flavors.map((f, i) => {
    p.check(!seen.has(f.name), { field: `flavors[${i}].name`, message: 'repeats an earlier flavor', value: f.name, fix: 'give each flavor its own name' });
    seen.add(f.name);
    const gpu = findGpu(f.gpu)!;
    const nodeLabels = f.nodeLabels ?? (gpu.productLabel ? { 'nvidia.com/gpu.product': gpu.productLabel } : undefined);
    if (!nodeLabels) {
      p.add({ field: `flavors[${i}].nodeLabels`, message: `are required: the ${gpu.id} has no GPU Feature Discovery label in the catalog, and a flavor without node labels lets Kueue place admitted pods on any node`, value: undefined, fix: 'set the labels of the nodes with this GPU' });
    }
    if (f.borrowingLimitGpus !== undefined) {
      p.check(o.cohort !== undefined, { field: `flavors[${i}].borrowingLimitGpus`, message: 'needs a cohort to borrow from (the ClusterQueue CRD refuses borrowingLimit without cohortName)', value: f.borrowingLimitGpus, fix: 'set cohort, or drop borrowingLimitGpus' });
    }
    return { name: f.name, gpu, gpus: f.quota.gpus, cpu: parseQuantity(f.quota.cpu) ?? 0, memoryBytes: parseQuantity(f.quota.memory) ?? 0, borrowingLimitGpus: f.borrowingLimitGpus, nodeLabels: nodeLabels ?? {} };
  });
  const queueKeys = new Set<string>();
  for (const [i, q] of o.localQueues.entries()) {
    const key = `${q.namespace}/${q.name}`;
    p.check(!queueKeys.has(key), { field: `localQueues[${i}]`, message: 'repeats an earlier LocalQueue', value: key, fix: 'remove the duplicate' });
    queueKeys.add(key);
  }
  p.throwIfAny(subject);

  const meta = { 'app.kubernetes.io/managed-by': 'gpuplane', 'app.kubernetes.io/part-of': 'kueue' };
  const objects: KubeObject[] = o.flavors.map((f, i) => ({
    apiVersion: KUEUE_API, kind: 'ResourceFlavor', metadata: { name: f.name, labels: meta },
    spec: { nodeLabels: flavors[i].nodeLabels, tolerations: f.tolerations && f.tolerations.length > 0 ? f.tolerations : undefined },
  }));
  objects.push({
    apiVersion: KUEUE_API, kind: 'ClusterQueue', metadata: { name: o.clusterQueue, labels: meta },
    spec: {
      // Every namespace may hold a LocalQueue of this ClusterQueue: the LocalQueues gpuplane renders decide who uses it.
      namespaceSelector: {},
      cohortName: o.cohort,
      queueingStrategy: o.queueingStrategy ?? 'BestEffortFIFO',
      preemption: { withinClusterQueue: o.preemptionWithinClusterQueue ?? 'LowerPriority' },
      resourceGroups: [{
        coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'],
        flavors: o.flavors.map((f) => ({
          name: f.name,
          resources: [
            { name: 'cpu', nominalQuota: f.quota.cpu },
            { name: 'memory', nominalQuota: f.quota.memory },
            { name: 'nvidia.com/gpu', nominalQuota: String(f.quota.gpus), ...(f.borrowingLimitGpus !== undefined ? { borrowingLimit: String(f.borrowingLimitGpus) } : {}) },
          ],
        })),
      }],
    },
  });
  for (const q of o.localQueues) {
    objects.push({ apiVersion: KUEUE_API, kind: 'LocalQueue', metadata: { name: q.name, namespace: q.namespace, labels: meta }, spec: { clusterQueue: o.clusterQueue } });
  }
  const canonical = objects.map((x) => canonicalize(x));
  assertValidObjects(subject, canonical);
  const localQueues = o.localQueues.map((q) => ({ name: q.name, namespace: q.namespace, clusterQueue: o.clusterQueue, cohort: o.cohort, flavors }));
  return {
    objects: canonical,
    localQueues,
    localQueue(name: string, namespace?: string): KueueLocalQueue {
      const found = localQueues.filter((q) => q.name === name && (namespace === undefined || q.namespace === namespace));
      if (found.length !== 1) {
        const pc = new ProblemCollector();
        pc.add({ field: 'localQueue', message: found.length === 0 ? 'names no LocalQueue of these queues' : 'is ambiguous: give the namespace', value: namespace ? `${namespace}/${name}` : name, allowed: localQueues.map((q) => `${q.namespace}/${q.name}`).join(', '), fix: 'pick one of the LocalQueues' });
        pc.throwIfAny(subject);
      }
      return found[0];
    },
  };
}
