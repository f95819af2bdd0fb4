import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubeObject } from '../core/kube';
import { objectId } from '../core/object-ids';

type Ctor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Typed @pulumi/kubernetes classes for the built-in kinds; everything else is a CustomResource. */
const TYPED: Record<string, Ctor> = {
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/PersistentVolumeClaim': k8s.core.v1.PersistentVolumeClaim,
  'v1/ResourceQuota': k8s.core.v1.ResourceQuota,
  'v1/Secret': k8s.core.v1.Secret,
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'apps/v1/DaemonSet': k8s.apps.v1.DaemonSet,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'apps/v1/StatefulSet': k8s.apps.v1.StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'batch/v1/CronJob': k8s.batch.v1.CronJob,
  'batch/v1/Job': k8s.batch.v1.Job,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
};

/**
 * Creates one resource per rendered object, each a child of `parent`. Namespaced objects depend on a Namespace
 * rendered alongside them. Logical names: `<component>-<object id>` (ids are API: see objectId).
 */
export function createKubernetesResources(parent: pulumi.ComponentResource, componentName: string, owner: string, objects: readonly KubeObject[]): Record<string, pulumi.CustomResource> {
  const out: Record<string, pulumi.CustomResource> = {};
  const namespaces: pulumi.Resource[] = [];
  for (const obj of objects) {
    const id = objectId(owner, obj);
    const logical = `${componentName}-${id.toLowerCase()}`;
    const dependsOn = obj.kind === 'Namespace' ? [] : namespaces;
    const opts: pulumi.CustomResourceOptions = { parent, dependsOn };
    const Typed = TYPED[`${obj.apiVersion}/${obj.kind}`];
    const res = Typed ? new Typed(logical, obj, opts) : new k8s.apiextensions.CustomResource(logical, obj as k8s.apiextensions.CustomResourceArgs, opts);
    if (obj.kind === 'Namespace') namespaces.push(res);
    out[id] = res;
  }
  return out;
}
