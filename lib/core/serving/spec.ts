import type { ModelDelivery } from './delivery';
import type { ServingEngine } from './engine';

/**
 * The engine-neutral part of a resolved service: what the serving layer (cache, rollout, budget, Service,
 * autoscaling, network, Istio, namespace) renders from. ResolvedVllmService is one.
 */
export interface ServingSpec {
  readonly engine: ServingEngine;
  readonly name: string;
  readonly namespace: string;
  /** `app.kubernetes.io/version` of every object. */
  readonly appVersion: string;
  readonly labels: Record<string, string>;
  readonly servedModelName: string;
  readonly createNamespace: boolean;
  readonly namespaceGpuQuota?: number;
  /** GPUs (or units) one pod requests: rollouts surge only into spare GPUs of that size. */
  readonly gpusPerPod: number;
  /** Pods per replica: 1, or the nodes of a multi-node group (budgets and caches count pods). @default 1 */
  readonly podsPerReplica?: number;
  /** Labels, beyond the selector labels, of the pods the Service sends traffic to (a group's leaders). @default - none: every pod serves */
  readonly servingPodLabels?: Readonly<Record<string, string>>;
  /** Extra labels of the namespace gpuplane creates (a PodSecurity level the pods need). @default - none */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly spareGpus: number;
  readonly minReplicas: number;
  readonly maxPossibleReplicas: number;
  readonly autoscaling?: {
    readonly mode: 'hpa' | 'keda';
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetRequestsWaiting: number;
    readonly prometheusServerAddress: string;
    /** KEDA: seconds without activity before scaling to zero (with minReplicas 0). */
    readonly cooldownSeconds: number;
  };
  /** Requests one pod runs at once (vLLM's --max-num-seqs): the wake-up trigger's per-pod target. @default 256 */
  readonly maxRequestsPerPod?: number;
  readonly modelCache: {
    readonly mode: 'shared' | 'perReplica' | 'image';
    readonly accessMode: 'ReadWriteOnce' | 'ReadWriteMany';
    readonly size: string;
    readonly storageClassName?: string;
    readonly existingClaimName?: string;
  };
  /** How the weights reach the pods, which workload kind runs them, and the startup path (lib/core/serving/delivery.ts). */
  readonly delivery: ModelDelivery;
  readonly downloadModel: boolean;
  readonly networkPolicy: { readonly enabled: boolean; readonly metricsScraperNamespace: string; readonly allowedNamespaces?: readonly string[]; readonly allowedPodLabels?: Record<string, string> };
  readonly istio?: { readonly mode: 'bypass' | 'tuned'; readonly timeout: string };
}
