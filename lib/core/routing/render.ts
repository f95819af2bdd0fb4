import { GpuplaneValidationError, Problem } from '../errors';
import { canonicalize, isPinnedImage, KubeObject } from '../kube';
import { checkOptions } from '../options/schema';
import { selectorLabels } from '../serving/labels';
import { coldStartSeconds, EPP_SCRAPE_SECONDS, eppServiceName, scalesToZero, WAKE_DELAY_SECONDS } from '../serving/scale-to-zero';
import { assertValidObjects } from '../validate';
import { kvCacheUsageMetric, parseVllmVersion } from '../vllm/version';
import type { GatewayBackendSpec, InferenceGatewayOptions } from './options';
import { INFERENCE_GATEWAY_SCHEMA } from './options-schema';

/** The llm-d router's endpoint picker, the release gpuplane's rendering is checked against (flags, config, RBAC). */
export const LLM_D_ROUTER_VERSION = '0.10.0';
/** The endpoint picker image gpuplane is checked against. */
export const DEFAULT_EPP_IMAGE = `ghcr.io/llm-d/llm-d-router-endpoint-picker:v${LLM_D_ROUTER_VERSION}`;
/** Ports of the picker: Envoy ext-proc (gRPC), gRPC health, Prometheus metrics (llm-d-router `server/options.go`). */
export const EPP_PORTS = { extProc: 9002, health: 9003, metrics: 9090 } as const;
/** The header the body-based router sets from the request body's `"model"` (GAIE BBR). */
export const MODEL_NAME_HEADER = 'X-Gateway-Model-Name';
/** The header a client names an InferenceObjective with (its priority applies to that request). */
export const OBJECTIVE_HEADER = 'x-gateway-inference-objective';
/** Pod label the picker reads for the engine; absent means `vllm` (llm-d-router `datastore.go`). */
export const ENGINE_TYPE_LABEL = 'llm-d.ai/engine-type';
const CONFIG_FILE = 'config.yaml';
const POOL_GROUP = 'inference.networking.k8s.io';

/** The vLLM metrics the picker scrapes from each pod (llm-d-router `metrics/factories.go`), for the engine version. */
export function routerScrapedMetrics(vllmVersion?: string): readonly string[] {
  return ['vllm:num_requests_waiting', 'vllm:num_requests_running', vllmVersion ? kvCacheUsageMetric(parseVllmVersion(vllmVersion) ?? [0, 26, 0]) : 'vllm:kv_cache_usage_perc', 'vllm:lora_requests_info', 'vllm:cache_config_info'];
}

/** One InferencePool with its backend resolved. */
export interface ResolvedInferencePool {
  readonly name: string;
  readonly namespace: string;
  readonly backend: GatewayBackendSpec;
  readonly weight: number;
  /** The router's queue TTL for this pool, seconds. */
  readonly requestTtlSeconds: number;
  readonly priority?: number;
}

/** One model with its route and pools resolved. */
export interface ResolvedInferenceModel {
  readonly name: string;
  readonly namespace: string;
  readonly routeName: string;
  readonly pools: readonly ResolvedInferencePool[];
  readonly routeTimeoutSeconds: number;
}

/** An InferenceGateway with every default resolved. */
export interface ResolvedInferenceGateway {
  readonly name: string;
  readonly gateway: { readonly name: string; readonly namespace?: string; readonly sectionName?: string };
  readonly models: readonly ResolvedInferenceModel[];
  readonly image: string;
  readonly weights: { readonly prefixCache: number; readonly kvCacheUtilization: number; readonly queue: number; readonly loraAffinity: number };
  readonly resources: { readonly cpu: string; readonly memory: string };
  readonly failureMode: 'FailOpen' | 'FailClose';
  /** Whether routes match on the model-name header (more than one model: the body-based router must run). */
  readonly matchModelHeader: boolean;
}

/** What renderInferenceGateway returns: the resolved gateway and its objects. */
export interface InferenceGatewayRender {
  readonly resolved: ResolvedInferenceGateway;
  readonly objects: readonly KubeObject[];
}

/** Resolves the gateway's options, refusing timeouts shorter than a cold start and inconsistent backends. */
export function resolveInferenceGateway(options: InferenceGatewayOptions): ResolvedInferenceGateway {
  const subject = `InferenceGateway '${options?.name}'`;
  checkOptions(subject, INFERENCE_GATEWAY_SCHEMA, options);
  const problems: Problem[] = [];
  const router = options.router ?? {};
  const image = router.image ?? DEFAULT_EPP_IMAGE;
  if (!isPinnedImage(image)) problems.push({ field: 'router.image', message: 'must be pinned to a tag or digest', value: image, fix: `use e.g. "${DEFAULT_EPP_IMAGE}"` });
  const generation = options.generationSeconds ?? 300;
  const seenModels = new Set<string>();
  const models = options.models.map((m, i): ResolvedInferenceModel => {
    const first = m.backends[0].service;
    const name = m.name ?? first.servedModelName;
    if (seenModels.has(name)) problems.push({ field: `models[${i}].name`, message: 'must be unique: two routes would match the same model name', value: name, fix: 'list each model once, with its canary as a second backend' });
    seenModels.add(name);
    const pools = m.backends.map((b, j): ResolvedInferencePool => {
      const s = b.service;
      const at = `models[${i}].backends[${j}]`;
      if (s.namespace !== first.namespace) {
        problems.push({ field: `${at}.service`, message: "must be in the model's namespace (an HTTPRoute reaches pools of its own namespace without a ReferenceGrant)", value: `${s.name} in ${s.namespace}`, allowed: first.namespace, fix: `deploy '${s.name}' in '${first.namespace}'` });
      }
      const adapters = s.adapterNames ?? [];
      if (s.servedModelName !== name && !adapters.includes(name)) {
        problems.push({
          field: `${at}.service`, message: `must serve the model name the route matches ('${name}'), as its served model or one of its LoRA adapters: vLLM answers 404 to any other`,
          value: `${s.name} serves '${s.servedModelName}'${adapters.length > 0 ? ` and adapters ${adapters.map((a) => `'${a}'`).join(', ')}` : ''}`,
          fix: `set servedModelName: '${name}' on '${s.name}', or add an adapter named '${name}' to its adapters`,
        });
      }
      const key = `${s.namespace}/${s.name}`;
      if (m.backends.slice(0, j).some((b2) => b2.service.name === s.name && b2.service.namespace === s.namespace)) {
        problems.push({ field: `${at}.service`, message: 'must not be listed twice for one model (a canary needs two services)', value: key });
      }
      // The service's NetworkPolicy must let the Gateway's proxy (requests) and the picker (metrics) reach the port.
      const np = s.networkPolicy;
      if (np?.enabled) {
        const gatewayNs = options.gateway.namespace ?? first.namespace;
        const allows = (ns: string, labels?: Record<string, string>) => (np.allowedNamespaces ? np.allowedNamespaces.includes(ns) : ns === s.namespace)
          && (!np.allowedPodLabels || (labels !== undefined && Object.entries(np.allowedPodLabels).every(([k, v]) => labels[k] === v)));
        const listed = np.allowedNamespaces ?? [s.namespace];
        if (!(np.allowedNamespaces ? np.allowedNamespaces.includes(gatewayNs) : gatewayNs === s.namespace)) {
          problems.push({
            field: 'gateway.namespace', message: `must be allowed by the NetworkPolicy of '${s.name}' (its proxy sends the requests to the pods)`, value: gatewayNs,
            allowed: listed.join(', '), fix: `set networkPolicy.allowedNamespaces on '${s.name}' to [${[...new Set([...listed, gatewayNs])].map((n) => `'${n}'`).join(', ')}]`,
          });
        }
        if (!allows(s.namespace, EPP_POD_LABELS(s.name))) {
          problems.push({
            field: `${at}.service`, message: `must let its endpoint picker ('${eppServiceName(s.name)}', namespace '${s.namespace}') scrape the serving port through its NetworkPolicy`, value: { allowedNamespaces: np.allowedNamespaces, allowedPodLabels: np.allowedPodLabels },
            fix: np.allowedPodLabels ? `drop networkPolicy.allowedPodLabels on '${s.name}', or add '${s.namespace}' to allowedNamespaces with labels the picker has` : `add '${s.namespace}' to networkPolicy.allowedNamespaces of '${s.name}'`,
          });
        }
      }
      // A backend that scales to zero adds the wake-up (picker scrape + KEDA poll) to its startup budget.
      const cold = coldStartSeconds(s);
      const ttl = router.requestTtlSeconds ?? cold;
      if (ttl < cold) {
        const zero = scalesToZero(s);
        problems.push({
          field: 'router.requestTtlSeconds',
          message: `must cover the cold start of '${s.name}' (${zero ? `it scales to zero: wake-up ${WAKE_DELAY_SECONDS}s + ` : ''}startupBudgetSeconds ${s.startupBudgetSeconds}${zero ? ` = ${cold}s` : ''}): a request queued while a pod loads would be dropped with ${zero ? '503' : '429'} after ${ttl}s`,
          value: ttl, allowed: `>= ${cold}`, fix: `set requestTtlSeconds to at least ${cold}, or leave it unset`,
        });
      }
      return { name: s.name, namespace: s.namespace, backend: s, weight: b.weight ?? 1, requestTtlSeconds: Math.max(ttl, 1), priority: m.priority };
    });
    if (pools.length > 1 && pools.every((p) => p.weight === 0)) problems.push({ field: `models[${i}].backends`, message: 'must give at least one backend a weight above 0', value: pools.map((p) => p.weight) });
    const ttl = Math.max(...pools.map((p) => p.requestTtlSeconds));
    const budget = Math.max(...pools.map((p) => coldStartSeconds(p.backend)));
    const needed = ttl + generation;
    const routeTimeoutSeconds = options.routeTimeoutSeconds ?? needed;
    if (routeTimeoutSeconds < needed) {
      problems.push({
        field: 'routeTimeoutSeconds',
        message: `must cover the router's queue wait for '${name}' (request TTL ${ttl}s, at least the cold start of ${budget}s) plus generation (${generation}s): the gateway would cut requests the router still holds`,
        value: routeTimeoutSeconds, allowed: `>= ${needed}`, fix: `set routeTimeoutSeconds to at least ${needed}, or leave it unset`,
      });
    }
    // A model served as an adapter of its first backend shares that backend's pool: its route is named after the model.
    const isAdapter = first.servedModelName !== name && (first.adapterNames ?? []).includes(name);
    return { name, namespace: first.namespace, routeName: isAdapter ? `${options.name}-${first.name}-${name}` : `${options.name}-${first.name}`, pools, routeTimeoutSeconds };
  });
  if (problems.length > 0) throw new GpuplaneValidationError(subject, problems);
  return {
    name: options.name,
    gateway: { ...options.gateway },
    models,
    image,
    weights: { prefixCache: router.weights?.prefixCache ?? 3, kvCacheUtilization: router.weights?.kvCacheUtilization ?? 2, queue: router.weights?.queue ?? 2, loraAffinity: router.weights?.loraAffinity ?? 1 },
    resources: { cpu: router.resources?.cpu ?? '4', memory: router.resources?.memory ?? '8Gi' },
    failureMode: router.failureMode ?? 'FailClose',
    matchModelHeader: models.length > 1,
  };
}

const EPP_POD_LABELS = (pool: string): Record<string, string> => ({ 'app.kubernetes.io/name': 'llm-d-router-epp', 'app.kubernetes.io/instance': eppServiceName(pool) });

function eppLabels(pool: ResolvedInferencePool): Record<string, string> {
  return EPP_POD_LABELS(pool.name);
}

function labelsOf(r: ResolvedInferenceGateway, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, 'app.kubernetes.io/part-of': r.name, 'app.kubernetes.io/managed-by': 'gpuplane' };
}

/** The picker's scheduling config (EndpointPickerConfig llm-d.ai/v1alpha1, which rejects unknown fields). */
export function endpointPickerConfig(r: ResolvedInferenceGateway, pool: ResolvedInferencePool): Record<string, unknown> {
  // Pools of a service with LoRA adapters also prefer pods that hold the requested adapter (vllm:lora_requests_info).
  const lora = (pool.backend.adapterNames ?? []).length > 0;
  return {
    apiVersion: 'llm-d.ai/v1alpha1',
    kind: 'EndpointPickerConfig',
    featureGates: ['flowControl'],
    plugins: [
      { type: 'approx-prefix-cache-producer' },
      { type: 'prefix-cache-scorer' },
      { type: 'kv-cache-utilization-scorer' },
      { type: 'queue-scorer' },
      ...(lora ? [{ type: 'lora-affinity-scorer' }] : []),
      { type: 'max-score-picker' },
    ],
    schedulingProfiles: [{
      name: 'default',
      plugins: [
        { pluginRef: 'prefix-cache-scorer', weight: r.weights.prefixCache },
        { pluginRef: 'kv-cache-utilization-scorer', weight: r.weights.kvCacheUtilization },
        { pluginRef: 'queue-scorer', weight: r.weights.queue },
        ...(lora ? [{ pluginRef: 'lora-affinity-scorer', weight: r.weights.loraAffinity }] : []),
        { pluginRef: 'max-score-picker' },
      ],
    }],
    flowControl: { defaultRequestTTL: `${pool.requestTtlSeconds}s` },
  };
}

/**
 * The InferenceObjective of a model with a priority: named after the pool for the service's own model, after the
 * pool and the adapter for an adapter (clients name it in the x-gateway-inference-objective header).
 */
function renderObjective(r: ResolvedInferenceGateway, m: ResolvedInferenceModel, pool: ResolvedInferencePool): KubeObject[] {
  if (pool.priority === undefined) return [];
  const name = m.name === pool.backend.servedModelName ? pool.name : `${pool.name}-${m.name}`;
  return [{
    apiVersion: 'llm-d.ai/v1alpha2', kind: 'InferenceObjective', metadata: { name, namespace: pool.namespace, labels: labelsOf(r) },
    spec: { poolRef: { group: POOL_GROUP, kind: 'InferencePool', name: pool.name }, priority: pool.priority },
  }];
}

/**
 * The picker's ServiceMonitor, for a pool whose service scales to zero: its queue is what wakes the service (the
 * KEDA query selects job `<pool>-epp`, the Service name the monitor gives as job).
 */
function renderEppMonitor(r: ResolvedInferenceGateway, pool: ResolvedInferencePool): KubeObject[] {
  if (!scalesToZero(pool.backend)) return [];
  const epp = eppServiceName(pool.name);
  return [{
    apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor',
    metadata: { name: epp, namespace: pool.namespace, labels: labelsOf(r, { ...eppLabels(pool), ...(pool.backend.monitoring?.labels ?? {}) }) },
    spec: {
      selector: { matchLabels: eppLabels(pool) },
      namespaceSelector: { matchNames: [pool.namespace] },
      endpoints: [{ port: 'http-metrics', path: '/metrics', interval: `${EPP_SCRAPE_SECONDS}s` }],
    },
  }];
}

function renderPool(r: ResolvedInferenceGateway, pool: ResolvedInferencePool): KubeObject[] {
  const epp = eppServiceName(pool.name);
  const ns = pool.namespace;
  const meta = (name: string, extra: Record<string, string> = {}) => ({ name, namespace: ns, labels: labelsOf(r, extra) });
  const configYaml = JSON.stringify(endpointPickerConfig(r, pool), null, 2);
  const probe = (service: string, periodSeconds: number, initialDelaySeconds?: number) => ({ grpc: { port: EPP_PORTS.health, service }, periodSeconds, initialDelaySeconds });
  return [
    {
      apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', metadata: meta(pool.name),
      spec: {
        selector: { matchLabels: selectorLabels(pool.backend) },
        targetPorts: [{ number: pool.backend.engine.port }],
        appProtocol: 'http',
        endpointPickerRef: { group: '', kind: 'Service', name: epp, port: { number: EPP_PORTS.extProc }, failureMode: r.failureMode },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(epp, eppLabels(pool)) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(epp, eppLabels(pool)),
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: [POOL_GROUP], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'watch', 'list'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(epp, eppLabels(pool)),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: epp },
      subjects: [{ kind: 'ServiceAccount', name: epp, namespace: ns }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(epp, eppLabels(pool)), data: { [CONFIG_FILE]: `${configYaml}\n` } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(epp, eppLabels(pool)),
      spec: {
        replicas: 1,
        // One active picker: the prefix-cache index is in memory; Recreate lets the new one take over at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: eppLabels(pool) },
        template: {
          metadata: { labels: labelsOf(r, eppLabels(pool)) },
          spec: {
            serviceAccountName: epp,
            terminationGracePeriodSeconds: 130,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'epp',
              image: r.image,
              imagePullPolicy: 'IfNotPresent',
              args: [
                '--pool-name', pool.name,
                '--pool-namespace', ns,
                '--pool-group', POOL_GROUP,
                '--zap-encoder', 'json',
                '--config-file', `/config/${CONFIG_FILE}`,
                '--grpc-health-port', String(EPP_PORTS.health),
                '--tracing=false',
                '--metrics-endpoint-auth=false',
              ],
              env: [
                { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              ports: [
                { name: 'grpc', containerPort: EPP_PORTS.extProc },
                { name: 'grpc-health', containerPort: EPP_PORTS.health },
                { name: 'metrics', containerPort: EPP_PORTS.metrics },
              ],
              livenessProbe: probe('inference-extension', 10, 5),
              readinessProbe: probe('inference-extension', 2),
              resources: { requests: { cpu: r.resources.cpu, memory: r.resources.memory }, limits: { memory: r.resources.memory.replace(/^(\d+)/, (n) => String(Number(n) * 2)) } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }],
            }],
            volumes: [{ name: 'config', configMap: { name: epp } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta(epp, eppLabels(pool)),
      spec: {
        selector: eppLabels(pool),
        ports: [
          { name: 'grpc-ext-proc', port: EPP_PORTS.extProc, targetPort: EPP_PORTS.extProc, protocol: 'TCP', appProtocol: 'http2' },
          { name: 'grpc-health', port: EPP_PORTS.health, targetPort: EPP_PORTS.health, protocol: 'TCP' },
          { name: 'http-metrics', port: EPP_PORTS.metrics, targetPort: EPP_PORTS.metrics, protocol: 'TCP' },
        ],
      },
    },
    ...renderEppMonitor(r, pool),
  ];
}

function renderRoute(r: ResolvedInferenceGateway, m: ResolvedInferenceModel): KubeObject {
  const parentRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: r.gateway.name, namespace: r.gateway.namespace, sectionName: r.gateway.sectionName };
  const match = { path: { type: 'PathPrefix', value: '/' }, headers: r.matchModelHeader ? [{ type: 'Exact', name: MODEL_NAME_HEADER, value: m.name }] : undefined };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
    metadata: { name: m.routeName, namespace: m.namespace, labels: labelsOf(r) },
    spec: {
      parentRefs: [parentRef],
      rules: [{
        matches: [match],
        backendRefs: m.pools.map((p) => ({ group: POOL_GROUP, kind: 'InferencePool', name: p.name, weight: p.weight })),
        timeouts: { request: `${m.routeTimeoutSeconds}s` },
      }],
    },
  };
}

/**
 * Renders, per backend, an InferencePool and its endpoint picker (the llm-d router: ServiceAccount, Role, RoleBinding,
 * ConfigMap, Deployment, Service, and an InferenceObjective when the model has a priority), and per model an
 * HTTPRoute from the Gateway to its pools. Validated like every other renderer.
 */
export function renderInferenceGateway(options: InferenceGatewayOptions): InferenceGatewayRender {
  const r = resolveInferenceGateway(options);
  // One pool per service, even when the service backs its base model and adapters.
  const rendered = new Set<string>();
  const objects = [
    ...r.models.flatMap((m) => m.pools.flatMap((p) => {
      const key = `${p.namespace}/${p.name}`;
      const first = !rendered.has(key);
      rendered.add(key);
      return [...(first ? renderPool(r, p) : []), ...renderObjective(r, m, p)];
    })),
    ...r.models.map((m) => renderRoute(r, m)),
  ].map((o) => canonicalize(o));
  assertValidObjects(`InferenceGateway '${r.name}'`, objects);
  return { resolved: r, objects };
}
