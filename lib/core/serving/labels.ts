import type { ServingSpec } from './spec';

/** Labels that select the service's pods. Stable across upgrades (selectors are immutable). */
export function selectorLabels(s: ServingSpec): Record<string, string> {
  return { 'app.kubernetes.io/name': s.engine.name, 'app.kubernetes.io/instance': s.name };
}

/** Labels on every object the service renders. */
export function commonLabels(s: ServingSpec): Record<string, string> {
  return {
    ...s.labels,
    ...selectorLabels(s),
    'app.kubernetes.io/component': 'inference-server',
    'app.kubernetes.io/managed-by': 'gpuplane',
    'app.kubernetes.io/version': s.appVersion,
  };
}

export function metadata(s: ServingSpec, name: string, extra: { annotations?: Record<string, string> } = {}) {
  return { name, namespace: s.namespace, labels: commonLabels(s), annotations: extra.annotations };
}

/** The in-cluster DNS name of the service. */
export function serviceHost(s: ServingSpec): string {
  return `${s.name}.${s.namespace}.svc.cluster.local`;
}
