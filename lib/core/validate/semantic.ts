import { isWorkloadKind, podTemplatesOf } from '../kinds';
import { isDns1123Label, isDns1123Subdomain, KubeObject, objectKey, parseQuantity } from '../kube';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** The pod spec of a workload, Job, CronJob or Pod (the first template of kinds with several); undefined for other kinds. */
export function podSpecOf(obj: Obj): Obj | undefined {
  return podTemplatesOf(obj)[0]?.template.spec;
}

/**
 * Whether an autoscaler (HorizontalPodAutoscaler or KEDA ScaledObject) scales this workload: its scaleTargetRef names
 * it in the autoscaler's namespace, with the kind KEDA assumes when none is given (Deployment).
 */
export function scalesWorkload(scaler: Obj, workload: Obj): boolean {
  const ref = scaler.spec?.scaleTargetRef ?? {};
  return ref.name === workload.metadata?.name && (ref.kind ?? 'Deployment') === workload.kind && scaler.metadata?.namespace === workload.metadata?.namespace;
}

/** Every pod spec an object creates (a LeaderWorkerSet has a leader's and the workers'), with where it lives. */
export function podSpecsOf(obj: Obj): { readonly path: string; readonly spec: Obj }[] {
  return podTemplatesOf(obj).filter((t) => t.template.spec).map((t) => ({ path: t.path, spec: t.template.spec }));
}

function podLabelsOf(obj: Obj): Record<string, string> | undefined {
  return isWorkloadKind(obj) ? podTemplatesOf(obj)[0]?.template.metadata?.labels : undefined;
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || !labels) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * The label sets of a workload's pods: StatefulSet pods also carry the labels the controller adds per pod, and
 * LeaderWorkerSet pods the set name and their rank in the group (leader 0; kubernetes-sigs/lws v0.10.0
 * `leaderworkerset_types.go`: SetNameLabelKey, WorkerIndexLabelKey).
 */
function podLabelSets(obj: Obj): Record<string, string>[] {
  const labels = podLabelsOf(obj);
  if (obj.kind === 'LeaderWorkerSet') {
    const set = { 'leaderworkerset.sigs.k8s.io/name': obj.metadata?.name, 'leaderworkerset.sigs.k8s.io/group-index': '0' };
    const lwt = obj.spec?.leaderWorkerTemplate ?? {};
    const out = [{ ...(lwt.leaderTemplate ?? lwt.workerTemplate)?.metadata?.labels, ...set, 'leaderworkerset.sigs.k8s.io/worker-index': '0' }];
    if ((lwt.size ?? 1) > 1) out.push({ ...lwt.workerTemplate?.metadata?.labels, ...set, 'leaderworkerset.sigs.k8s.io/worker-index': '1' });
    return out;
  }
  if (!labels) return [];
  if (obj.kind !== 'StatefulSet') return [labels];
  const replicas = obj.spec?.replicas ?? 1;
  return Array.from({ length: replicas }, (_, i) => ({ ...labels, 'statefulset.kubernetes.io/pod-name': `${obj.metadata.name}-${i}`, 'apps.kubernetes.io/pod-index': String(i) }));
}

function selectsWorkload(selector: Record<string, string> | undefined, workload: Obj): boolean {
  return podLabelSets(workload).some((labels) => matches(selector, labels));
}

function checkPodSpec(where: string, spec: Obj, out: string[], claimTemplates: readonly string[] = []): void {
  const volumes = new Set<string>([...(spec.volumes ?? []).map((v: Obj) => v.name), ...claimTemplates]);
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Obj[]) {
    const at = `${where} container ${c.name}`;
    const portNames = new Set<string>();
    const portNumbers = new Set<number>();
    for (const p of c.ports ?? []) {
      portNumbers.add(p.containerPort);
      if (p.name === undefined) continue;
      if (p.name.length > 15 || !IANA_SVC_NAME.test(p.name)) out.push(`${at}: port name "${p.name}" must be at most 15 lower-case letters, digits and "-", with a letter`);
      if (portNames.has(p.name)) out.push(`${at}: port name "${p.name}" is used twice`);
      portNames.add(p.name);
    }
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
      const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
      if (port === undefined) continue;
      if (typeof port === 'string' && !portNames.has(port)) out.push(`${at}: ${probe} uses port "${port}", which the container does not declare`);
      if (typeof port === 'number' && portNumbers.size > 0 && !portNumbers.has(port)) out.push(`${at}: ${probe} uses port ${port}, which the container does not declare`);
    }
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) out.push(`${at}: volumeMount "${m.name}" has no volume of that name`);
    }
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const [res, q] of [...Object.entries(req), ...Object.entries(lim)] as [string, string][]) {
      if (parseQuantity(q) === undefined) out.push(`${at}: resource ${res} quantity "${q}" does not parse`);
    }
    for (const res of Object.keys(lim)) {
      const r = req[res] !== undefined ? parseQuantity(req[res]) : undefined;
      const l = parseQuantity(lim[res]);
      if (r !== undefined && l !== undefined && r > l) out.push(`${at}: ${res} request ${req[res]} is above its limit ${lim[res]}`);
    }
    for (const res of new Set([...Object.keys(req), ...Object.keys(lim)])) {
      if (res.includes('/') && req[res] !== undefined && lim[res] !== undefined && req[res] !== lim[res]) {
        out.push(`${at}: extended resource ${res} must have request equal to limit (got ${req[res]} and ${lim[res]})`);
      }
    }
  }
}

/** Options of the semantic checks. */
export interface SemanticOptions {
  /**
   * The objects are the whole application, so every Service, PodDisruptionBudget and autoscaler must select a
   * workload among them. Off for manifests read from elsewhere, whose targets may live in other files or be made
   * by an operator.
   * @default true
   */
  readonly closedWorld?: boolean;
  /**
   * Which input (a file, one app's render) each object came from. The same object in two inputs is two apps'
   * copies (the EKS and the GKE operator chart both have Namespace/gpu-operator), not a duplicate; only an object
   * that appears twice within one input is reported as rendered twice.
   * @default - every object comes from the same input
   */
  readonly sourceOf?: (object: KubeObject) => string;
}

/**
 * Checks a schema cannot express: names, selectors that select what they should, ports and probes that line up,
 * quantities that parse, references between the objects of one render.
 */
export function validateSemantics(objects: readonly KubeObject[], options: SemanticOptions = {}): string[] {
  const closedWorld = options.closedWorld ?? true;
  const out: string[] = [];
  const seen = new Set<string>();
  const all = objects as readonly Obj[];
  const workloads = all.filter(isWorkloadKind);
  for (const obj of all) {
    const key = objectKey(obj as KubeObject);
    const source = options.sourceOf?.(obj as KubeObject);
    const seenKey = source === undefined ? key : `${source}\u0000${key}`;
    if (seen.has(seenKey)) out.push(source === undefined ? `${key}: rendered twice` : `${key}: rendered twice in ${source}`);
    seen.add(seenKey);
    const name: string = obj.metadata?.name ?? '';
    const labelKinds = new Set(['Service', 'Namespace']);
    if (labelKinds.has(obj.kind) ? !isDns1123Label(name) : !isDns1123Subdomain(name)) {
      out.push(`${key}: metadata.name "${name}" is not a valid DNS-1123 ${labelKinds.has(obj.kind) ? 'label' : 'subdomain'}`);
    }
    for (const [k, v] of Object.entries<string>(obj.metadata?.labels ?? {})) {
      if (typeof v !== 'string' || v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) out.push(`${key}: label ${k}="${v}" is not a valid label value`);
    }
    const specs = podSpecsOf(obj);
    const claimTemplates = (obj.kind === 'StatefulSet' ? obj.spec?.volumeClaimTemplates ?? [] : obj.kind === 'LeaderWorkerSet' ? obj.spec?.leaderWorkerTemplate?.volumeClaimTemplates ?? [] : []).map((t: Obj) => t.metadata?.name);
    for (const { path, spec } of specs) checkPodSpec(specs.length > 1 ? `${key} ${path}` : key, spec, out, claimTemplates);
    if (isWorkloadKind(obj) && obj.kind !== 'LeaderWorkerSet') {
      const sel = obj.spec?.selector?.matchLabels;
      if (!matches(sel, podLabelsOf(obj))) out.push(`${key}: spec.selector.matchLabels does not match the pod template labels`);
    }
    if (obj.kind === 'Service' && obj.spec?.selector) {
      const targets = workloads.filter((w) => w.metadata.namespace === obj.metadata.namespace && selectsWorkload(obj.spec.selector, w));
      if (closedWorld && targets.length === 0 && workloads.length > 0) out.push(`${key}: spec.selector selects no workload of this render`);
      for (const p of obj.spec.ports ?? []) {
        if (typeof p.targetPort !== 'string') continue;
        for (const w of targets) {
          const names = (podSpecOf(w)?.containers ?? []).flatMap((c: Obj) => (c.ports ?? []).map((cp: Obj) => cp.name));
          if (!names.includes(p.targetPort)) out.push(`${key}: targetPort "${p.targetPort}" is not a port of ${objectKey(w as KubeObject)}`);
        }
      }
    }
    if (obj.kind === 'PodDisruptionBudget') {
      if (obj.spec?.minAvailable === 0 || obj.spec?.minAvailable === '0%') out.push(`${key}: minAvailable 0 protects nothing`);
      if (closedWorld && !workloads.some((w) => selectsWorkload(obj.spec?.selector?.matchLabels, w))) out.push(`${key}: selector selects no workload of this render`);
    }
    const target = obj.kind === 'HorizontalPodAutoscaler' || obj.kind === 'ScaledObject' ? obj.spec?.scaleTargetRef : undefined;
    if (closedWorld && target && !workloads.some((w) => w.metadata.name === target.name && w.metadata.namespace === obj.metadata.namespace)) {
      out.push(`${key}: scaleTargetRef ${target.name} is not a workload of this render`);
    }
  }
  return out;
}
