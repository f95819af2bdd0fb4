import { ResolvedVllmService } from './options';

/** The serving port; vLLM's default, named so probes, Services and monitors refer to it by name. */
export const VLLM_PORT = 8000;
export const VLLM_PORT_NAME = 'http';
export const VLLM_CONTAINER = 'vllm';

/** Labels that select the service's pods. Stable across upgrades (selectors are immutable). */
export function selectorLabels(r: ResolvedVllmService): Record<string, string> {
  return { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': r.name };
}

/** Labels on every object the service renders. */
export function commonLabels(r: ResolvedVllmService): Record<string, string> {
  return {
    ...r.labels,
    ...selectorLabels(r),
    'app.kubernetes.io/component': 'inference-server',
    'app.kubernetes.io/managed-by': 'gpuplane',
    'app.kubernetes.io/version': r.vllmVersion.replace(/^v/, ''),
  };
}

export function metadata(r: ResolvedVllmService, name: string, extra: { annotations?: Record<string, string> } = {}) {
  return { name, namespace: r.namespace, labels: commonLabels(r), annotations: extra.annotations };
}

/** The in-cluster DNS name of the service. */
export function serviceHost(r: ResolvedVllmService): string {
  return `${r.name}.${r.namespace}.svc.cluster.local`;
}
