import { ProblemCollector } from '../errors';
import { KubeObject } from '../kube';
import { DRA_POD_CLAIM, renderResourceClaimTemplate } from '../gpu/dra';
import { commonLabels } from '../serving/labels';
import type { ResolvedVllmService, VllmServiceOptions } from './options';

/** The ResourceClaimTemplate a VllmService on a DRA placement renders: `<name>-gpus`. */
export function draClaimTemplateName(name: string): string {
  return `${name}-gpus`;
}

/** Options that do not combine with a DRA placement. */
export function checkDraOptions(o: VllmServiceOptions, p: ProblemCollector): void {
  if (!o.placement?.dra) return;
  p.check(o.namespaceGpuQuota === undefined, {
    field: 'namespaceGpuQuota', message: 'caps requests.nvidia.com/gpu, which pods on a DRA claim do not request: the quota would limit nothing', value: o.namespaceGpuQuota,
    fix: 'drop it, or cap the claims with a ResourceQuota on gpu.nvidia.com.deviceclass.resource.k8s.io/devices of your own',
  });
}

/** The claim template (one request of the pod's GPUs, tensor x pipeline parallel on one node), or nothing without a DRA placement. */
export function renderDraClaimTemplates(r: ResolvedVllmService): KubeObject[] {
  const dra = r.placement?.dra;
  if (!dra) return [];
  return [renderResourceClaimTemplate(draClaimTemplateName(r.name), r.namespace, commonLabels(r), dra, r.gpusPerPod)];
}

/** What the pod and its container carry on a DRA placement: the pod's claim and the container's reference to it. */
export function draPodFields(r: ResolvedVllmService): { resourceClaims?: Record<string, string>[]; containerClaims?: Record<string, string>[] } {
  if (!r.placement?.dra) return {};
  return {
    resourceClaims: [{ name: DRA_POD_CLAIM, resourceClaimTemplateName: draClaimTemplateName(r.name) }],
    containerClaims: [{ name: DRA_POD_CLAIM }],
  };
}
