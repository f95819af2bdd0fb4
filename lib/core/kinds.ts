/* eslint-disable @typescript-eslint/no-var-requires */
/**
 * One registry of the kinds gpuplane renders or reads: where each keeps its pod templates, how it is validated, and
 * which typed @pulumi/kubernetes class creates it. The schema check, the semantic checks, the production rules and
 * the Pulumi adapter all read it, so a new kind (a LeaderWorkerSet, a ResourceClaimTemplate) is one entry here and
 * the production rules see its pods.
 */

/** A model class from kubernetes-models: construct with the object, `validate()` throws on a schema violation. */
export type ModelClass = new (data: unknown) => { validate(): void };

/** One kind gpuplane renders or checks: its schema, its Pulumi class and where its pod template is. */
export interface KindInfo {
  readonly apiVersion: string;
  readonly kind: string;
  /**
   * Paths from the object to each pod template it creates (`['spec', 'template']`); `[]` when the object is a pod.
   * @default - none: the kind runs no pods
   */
  readonly podTemplates?: readonly (readonly string[])[];
  /** A controller whose `spec.selector` must select its pods, and which Services and budgets select. @default false */
  readonly workload?: boolean;
  /** The upstream schema: a kubernetes-models class, or a JSON schema of ours. @default - none: not schema-checked */
  readonly schema?: { readonly model: () => ModelClass } | { readonly json: () => object };
  /** The typed @pulumi/kubernetes class (`['core', 'v1', 'ConfigMap']`). @default - a CustomResource */
  readonly pulumi?: readonly [string, string, string];
}

const TEMPLATE = [['spec', 'template']] as const;
const model = (path: string, name: string) => ({ model: () => require(path)[name] as ModelClass });
const json = (path: string, name: string) => ({ json: () => require(path)[name] as object });

/** The registry of kinds: every check and both adapters read it. */
export const KINDS: readonly KindInfo[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', schema: model('kubernetes-models/v1/ConfigMap', 'ConfigMap'), pulumi: ['core', 'v1', 'ConfigMap'] },
  { apiVersion: 'v1', kind: 'Namespace', schema: model('kubernetes-models/v1/Namespace', 'Namespace'), pulumi: ['core', 'v1', 'Namespace'] },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', schema: model('kubernetes-models/v1/PersistentVolumeClaim', 'PersistentVolumeClaim'), pulumi: ['core', 'v1', 'PersistentVolumeClaim'] },
  { apiVersion: 'v1', kind: 'ResourceQuota', schema: model('kubernetes-models/v1/ResourceQuota', 'ResourceQuota'), pulumi: ['core', 'v1', 'ResourceQuota'] },
  { apiVersion: 'v1', kind: 'Secret', schema: model('kubernetes-models/v1/Secret', 'Secret'), pulumi: ['core', 'v1', 'Secret'] },
  { apiVersion: 'v1', kind: 'Service', schema: model('kubernetes-models/v1/Service', 'Service'), pulumi: ['core', 'v1', 'Service'] },
  { apiVersion: 'v1', kind: 'ServiceAccount', schema: model('kubernetes-models/v1/ServiceAccount', 'ServiceAccount'), pulumi: ['core', 'v1', 'ServiceAccount'] },
  { apiVersion: 'v1', kind: 'Pod', podTemplates: [[]], schema: model('kubernetes-models/v1/Pod', 'Pod'), pulumi: ['core', 'v1', 'Pod'] },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', podTemplates: TEMPLATE, workload: true, schema: model('kubernetes-models/apps/v1/DaemonSet', 'DaemonSet'), pulumi: ['apps', 'v1', 'DaemonSet'] },
  { apiVersion: 'apps/v1', kind: 'Deployment', podTemplates: TEMPLATE, workload: true, schema: model('kubernetes-models/apps/v1/Deployment', 'Deployment'), pulumi: ['apps', 'v1', 'Deployment'] },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', podTemplates: TEMPLATE, workload: true, schema: model('kubernetes-models/apps/v1/ReplicaSet', 'ReplicaSet'), pulumi: ['apps', 'v1', 'ReplicaSet'] },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', podTemplates: TEMPLATE, workload: true, schema: model('kubernetes-models/apps/v1/StatefulSet', 'StatefulSet'), pulumi: ['apps', 'v1', 'StatefulSet'] },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', schema: model('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', 'HorizontalPodAutoscaler'), pulumi: ['autoscaling', 'v2', 'HorizontalPodAutoscaler'] },
  { apiVersion: 'batch/v1', kind: 'CronJob', podTemplates: [['spec', 'jobTemplate', 'spec', 'template']], schema: model('kubernetes-models/batch/v1/CronJob', 'CronJob'), pulumi: ['batch', 'v1', 'CronJob'] },
  { apiVersion: 'batch/v1', kind: 'Job', podTemplates: TEMPLATE, schema: model('kubernetes-models/batch/v1/Job', 'Job'), pulumi: ['batch', 'v1', 'Job'] },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', schema: model('kubernetes-models/networking.k8s.io/v1/NetworkPolicy', 'NetworkPolicy'), pulumi: ['networking', 'v1', 'NetworkPolicy'] },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', schema: model('kubernetes-models/policy/v1/PodDisruptionBudget', 'PodDisruptionBudget'), pulumi: ['policy', 'v1', 'PodDisruptionBudget'] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', schema: model('kubernetes-models/rbac.authorization.k8s.io/v1/Role', 'Role'), pulumi: ['rbac', 'v1', 'Role'] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', schema: model('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding', 'RoleBinding'), pulumi: ['rbac', 'v1', 'RoleBinding'] },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', schema: model('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule', 'PrometheusRule') },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', schema: model('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor', 'ServiceMonitor') },
  { apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', schema: model('@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule', 'DestinationRule') },
  { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', schema: model('@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService', 'VirtualService') },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', schema: model('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject', 'ScaledObject') },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', schema: model('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application', 'Application') },
  { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', schema: json('./validate/schemas/karpenter', 'KARPENTER_NODEPOOL_SCHEMA') },
  { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', schema: json('./validate/schemas/flux', 'FLUX_HELMREPOSITORY_SCHEMA') },
  { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', schema: json('./validate/schemas/flux', 'FLUX_HELMRELEASE_SCHEMA') },
  { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', schema: json('./validate/schemas/cert-manager', 'CERT_MANAGER_ISSUER_SCHEMA') },
  { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', schema: json('./validate/schemas/cert-manager', 'CERT_MANAGER_ISSUER_SCHEMA') },
  { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', schema: json('./validate/schemas/cert-manager', 'CERT_MANAGER_CERTIFICATE_SCHEMA') },
  { apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', schema: json('./validate/schemas/gateway', 'INFERENCE_POOL_SCHEMA') },
  { apiVersion: 'llm-d.ai/v1alpha2', kind: 'InferenceObjective', schema: json('./validate/schemas/gateway', 'INFERENCE_OBJECTIVE_SCHEMA') },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', schema: json('./validate/schemas/gateway', 'HTTPROUTE_SCHEMA') },
  // Dynamic Resource Allocation (Kubernetes 1.34 GA): kubernetes-models 4.5 has no resource.k8s.io (see the schema's note).
  { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', schema: json('./validate/schemas/resource', 'RESOURCE_CLAIM_TEMPLATE_SCHEMA'), pulumi: ['resource', 'v1', 'ResourceClaimTemplate'] },
  // Kueue v0.19 (the CRDs' storage version v1beta2): GPU quota per flavor, queues workloads name by label.
  { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ResourceFlavor', schema: json('./validate/schemas/kueue', 'KUEUE_RESOURCE_FLAVOR_SCHEMA') },
  { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ClusterQueue', schema: json('./validate/schemas/kueue', 'KUEUE_CLUSTER_QUEUE_SCHEMA') },
  { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', schema: json('./validate/schemas/kueue', 'KUEUE_LOCAL_QUEUE_SCHEMA') },
  // A group of pods per replica: the leader's template and the workers' (leaderworkerset.x-k8s.io/v1, LWS v0.10).
  {
    // No spec.selector: the controller labels its pods (leaderworkerset.sigs.k8s.io/name, worker-index), which
    // validate/semantic.ts adds when it matches Services, budgets and autoscalers against the templates.
    apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', workload: true,
    podTemplates: [['spec', 'leaderWorkerTemplate', 'leaderTemplate'], ['spec', 'leaderWorkerTemplate', 'workerTemplate']],
    schema: json('./validate/schemas/lws', 'LEADER_WORKER_SET_SCHEMA'),
  },
];

// apiVersion, then kind: looked up for every object by several checks, without building an `apiVersion/kind` string.
const byKey = new Map<string, Map<string, KindInfo>>();
for (const k of KINDS) {
  let kinds = byKey.get(k.apiVersion);
  if (!kinds) byKey.set(k.apiVersion, (kinds = new Map()));
  kinds.set(k.kind, k);
}
/** Pod-running kinds by kind alone: manifests read from elsewhere may use another served version. */
const podKindsByName = new Map(KINDS.filter((k) => k.podTemplates).map((k) => [k.kind, k]));

/** The registry entry of `apiVersion/kind`, if gpuplane knows the kind. */
export function kindInfo(apiVersion: string, kind: string): KindInfo | undefined {
  return byKey.get(apiVersion)?.get(kind);
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Each pod template of an object (`{ metadata, spec }`), with where it lives; empty for kinds that run no pods. */
export function podTemplatesOf(obj: Obj): { readonly path: string; readonly template: Obj }[] {
  const info = kindInfo(String(obj.apiVersion), String(obj.kind)) ?? podKindsByName.get(String(obj.kind));
  const out: { path: string; template: Obj }[] = [];
  for (const path of info?.podTemplates ?? []) {
    const template = path.reduce<Obj | undefined>((at, key) => at?.[key], obj);
    if (template && typeof template === 'object') out.push({ path: path.join('.'), template });
  }
  return out;
}

/** Whether the kind is a workload controller whose selector must match its pods. */
export function isWorkloadKind(obj: Obj): boolean {
  return (kindInfo(String(obj.apiVersion), String(obj.kind)) ?? podKindsByName.get(String(obj.kind)))?.workload === true;
}
