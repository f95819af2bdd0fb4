/**
 * Scale to zero: a KEDA ScaledObject with `minReplicaCount: 0` that wakes on a signal which exists while no model
 * pod runs, a cooldown that is not shorter than the cold start, and the cold start every waiting request pays.
 *
 * Why the wake-up signal comes from the router: at zero replicas there is no vLLM pod, so `vllm:num_requests_waiting`
 * has no series, and KEDA's Prometheus scaler reads an empty result as 0 (`ignoreNullValues` defaults to true;
 * kedacore/keda `pkg/scalers/prometheus_scaler.go`), so a query on the pods' metrics never wakes the model. The
 * llm-d router's endpoint picker (EPP) runs while the pool is empty and, with flow control on (the InferenceGateway
 * turns it on), holds requests in its queue for the request TTL instead of failing them (llm-d-router v0.10.0
 * release notes #1751/#2047: a request is rejected with 503 `rejected-no-endpoints` only at queue capacity or TTL
 * expiry). It exports the queue as `llm_d_epp_flow_control_queue_size` and in-flight requests as
 * `llm_d_epp_request_running` (llm-d-router v0.10.0 `pkg/epp/metrics/llm_d_router_metrics.go`, `docs/metrics.md`);
 * the InferenceGateway scrapes the picker of a pool whose backend scales to zero. KEDA wakes the Deployment when
 * the sum is above `activationThreshold` (the scaler's activity test is `value > activationThreshold`), and the
 * in-flight part keeps it awake while requests stream, which `num_requests_waiting` (0 while requests run) would not.
 */
import type { ProblemCollector } from '../errors';
import type { ServingSpec } from './spec';

/** KEDA's polling interval gpuplane renders (seconds). */
export const KEDA_POLLING_SECONDS = 15;
/** Prometheus scrape interval assumed for the endpoint picker (seconds; the ServiceMonitor renders it). */
export const EPP_SCRAPE_SECONDS = 15;
/** From the first request at zero to KEDA seeing it: one scrape of the picker plus one KEDA poll. */
export const WAKE_DELAY_SECONDS = EPP_SCRAPE_SECONDS + KEDA_POLLING_SECONDS;

/** The endpoint picker Service of a pool (the InferenceGateway names it so; the wake-up query selects its job). */
export function eppServiceName(pool: string): string {
  return `${pool}-epp`;
}

/** Whether the service may run no pod at all. */
export function scalesToZero(s: Pick<ServingSpec, 'autoscaling'>): boolean {
  return s.autoscaling?.minReplicas === 0;
}

/**
 * Seconds the first request waits when no pod runs: the wake-up delay plus the pod's startup budget (download,
 * load, compile). For a service that never scales to zero, a new pod's startup budget.
 */
export function coldStartSeconds(s: Pick<ServingSpec, 'autoscaling'> & { readonly startupBudgetSeconds: number }): number {
  return s.startupBudgetSeconds + (scalesToZero(s) ? WAKE_DELAY_SECONDS : 0);
}

/** The PromQL KEDA wakes on: requests queued at, or in flight through, the service's endpoint picker. */
export function wakeQuery(s: Pick<ServingSpec, 'namespace' | 'name'>): string {
  const sel = `namespace="${s.namespace}",job="${eppServiceName(s.name)}"`;
  return `(sum(llm_d_epp_flow_control_queue_size{${sel}}) or vector(0)) + (sum(llm_d_epp_request_running{${sel}}) or vector(0))`;
}

/**
 * The ScaledObject trigger that wakes the service from zero and keeps it up while requests run. Its threshold is
 * the requests one pod runs at once, so it never asks for more pods than the queue-depth trigger would.
 */
export function wakeTrigger(s: ServingSpec): Record<string, unknown> {
  return {
    type: 'prometheus',
    name: 'wake-from-zero',
    metricType: 'AverageValue',
    metadata: {
      serverAddress: s.autoscaling!.prometheusServerAddress,
      query: wakeQuery(s),
      threshold: String(s.maxRequestsPerPod ?? 256),
      activationThreshold: '0',
    },
  };
}

/** What the scale-to-zero checks read from a resolved service. */
export interface ScaleToZeroInput {
  readonly subject: string;
  /** The autoscaling options as given (`cooldownSeconds` unset means derived). */
  readonly given?: { readonly mode?: string; readonly minReplicas?: number; readonly cooldownSeconds?: number };
  readonly autoscaling?: NonNullable<ServingSpec['autoscaling']>;
  readonly startupBudgetSeconds: number;
  readonly estimatedLoadSeconds: number;
  readonly weightsGiB: number;
  readonly downloadModel: boolean;
}

/**
 * Checks minReplicas 0 against the autoscaler and the cold start, derives the KEDA cooldown, and warns with the cold
 * start every request after idle waits for. Returns the autoscaling with its cooldown resolved.
 */
export function resolveScaleToZero(i: ScaleToZeroInput, p: ProblemCollector, warnings: string[]): ServingSpec['autoscaling'] {
  const a = i.autoscaling;
  if (!a) return undefined;
  const zero = a.minReplicas === 0;
  if (zero && a.mode === 'hpa') {
    p.add({
      field: 'autoscaling.minReplicas', message: "must be at least 1 with mode 'hpa': a HorizontalPodAutoscaler cannot scale to zero without the alpha HPAScaleToZero feature gate, and the API server refuses minReplicas 0 without it",
      value: 0, allowed: ">= 1 with 'hpa'; 0 with 'keda'", fix: "set autoscaling.mode: 'keda' to scale to zero (KEDA scales 0 <-> 1 itself), or minReplicas: 2",
    });
  }
  // Ten minutes idle, or the startup budget when a cold start takes longer.
  const derivedCooldown = Math.max(600, i.startupBudgetSeconds);
  const cooldownSeconds = i.given?.cooldownSeconds ?? derivedCooldown;
  if (i.given?.cooldownSeconds !== undefined && !(zero && a.mode === 'keda')) {
    p.add({
      field: 'autoscaling.cooldownSeconds', message: "does nothing unless the service scales to zero (KEDA's cooldownPeriod only applies to the step to zero replicas)", value: i.given.cooldownSeconds,
      fix: "drop it, or set autoscaling.mode: 'keda' with minReplicas: 0",
    });
  }
  if (zero && a.mode === 'keda') {
    p.check(cooldownSeconds >= i.startupBudgetSeconds, {
      field: 'autoscaling.cooldownSeconds',
      message: `must be at least the startup budget (${i.startupBudgetSeconds} s, the cold start of a pod): the service would scale to zero sooner after a request than a pod takes to load, and spend more time loading than serving`,
      value: cooldownSeconds, allowed: `>= ${i.startupBudgetSeconds}`, fix: `omit it for ${derivedCooldown}, or raise it`,
    });
    const cold = coldStartSeconds({ autoscaling: a, startupBudgetSeconds: i.startupBudgetSeconds });
    warnings.push(
      `${i.subject} scales to zero: the first request after ${cooldownSeconds} s idle waits for a cold start of up to ${cold} s ` +
        `(wake-up ${WAKE_DELAY_SECONDS} s: picker scrape ${EPP_SCRAPE_SECONDS} s + KEDA poll ${KEDA_POLLING_SECONDS} s; then the startup budget of ${i.startupBudgetSeconds} s for an estimated ${i.estimatedLoadSeconds} s ` +
        `to ${i.downloadModel ? 'download and ' : ''}load ${i.weightsGiB.toFixed(1)} GiB of weights, plus scheduling, and a node if none is free). ` +
        'It wakes only on requests through an InferenceGateway (its router holds them meanwhile); direct calls to the Service fail while no pod runs.',
    );
  }
  return { ...a, cooldownSeconds };
}
