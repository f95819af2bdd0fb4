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
  readonly spareGpus: number;
  readonly minReplicas: number;
  readonly maxPossibleReplicas: number;
  readonly autoscaling?: {
    readonly mode: 'hpa' | 'keda';
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetRequestsWaiting: number;
    readonly prometheusServerAddress: string;
  };
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
