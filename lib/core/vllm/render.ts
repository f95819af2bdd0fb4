import { canonicalize, KubeObject } from '../kube';
import { assertValidObjects } from '../validate';
import { renderAutoscaling } from '../serving/autoscaling';
import { renderMonitoring } from './monitoring';
import { renderIstio, renderNetworkPolicy } from '../serving/network';
import { renderDisruptionBudget, renderModelCacheClaim, renderNamespace, renderService } from '../serving/workload';
import { ResolvedVllmService, resolveVllmService, VllmServiceOptions } from './options';
import { renderDraClaimTemplates } from './dra';
import { withQueueLabel } from '../kueue/service';
import { renderModelLoader } from './loader';
import { HF_HOME, renderDeployment } from './workload';

/** What renderVllmService returns: the resolved options, the objects and the memory estimate. */
export interface VllmServiceRender {
  /** Options with every default resolved. */
  readonly resolved: ResolvedVllmService;
  /** Every object, in apply order, canonical (sorted keys, no undefined). */
  readonly objects: readonly KubeObject[];
}

/**
 * Resolves options (throwing every invariant violated), renders the objects, and validates each against its
 * upstream schema and the semantic checks. Pure and deterministic: the same options give the same objects.
 */
export function renderVllmService(options: VllmServiceOptions): VllmServiceRender {
  const r = resolveVllmService(options);
  const objects = withQueueLabel([
    ...renderNamespace(r),
    ...renderModelCacheClaim(r),
    ...renderDraClaimTemplates(r),
    ...renderModelLoader(r, HF_HOME),
    renderDeployment(r),
    renderService(r),
    renderDisruptionBudget(r),
    ...renderAutoscaling(r),
    ...renderMonitoring(r),
    ...renderNetworkPolicy(r),
    ...renderIstio(r),
  ], r.queue).map((o) => canonicalize(o));
  assertValidObjects(`VllmService '${r.name}'`, objects);
  return { resolved: r, objects };
}
