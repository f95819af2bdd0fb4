type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** DeviceClasses that hand out GPUs: NVIDIA's whole GPUs and MIG instances (dra-driver-nvidia-gpu), and any `*gpu*` class. */
export function isGpuDeviceClass(name: string): boolean {
  return name === 'gpu.nvidia.com' || name === 'mig.nvidia.com' || /(^|\.)gpu(\.|$)/.test(name);
}

/** GPU devices one claim spec asks for: the count of each GPU request (`exactly`, or the largest `firstAvailable` option). */
export function claimSpecGpus(spec: Obj | undefined): number {
  let sum = 0;
  for (const req of spec?.devices?.requests ?? []) {
    const options: Obj[] = req.exactly ? [req.exactly] : req.firstAvailable ?? [];
    const counts = options.filter((o) => isGpuDeviceClass(String(o.deviceClassName ?? ''))).map((o) => (o.allocationMode === 'All' ? 1 : Number(o.count ?? 1)));
    if (counts.length > 0) sum += Math.max(...counts);
  }
  return sum;
}

/**
 * Counts the GPUs of containers that get them through Dynamic Resource Allocation: the container names a pod claim in
 * `resources.claims`, the pod claim names a ResourceClaimTemplate (or ResourceClaim) among the objects, and that asks
 * for GPU devices. Claims not among the objects count as one GPU each when the name says gpu, else zero.
 */
export function draGpuCounter(objects: readonly Obj[]): (namespace: string | undefined, spec: Obj, c: Obj) => number {
  const templates = new Map<string, number>();
  for (const o of objects) {
    if (o.apiVersion?.startsWith?.('resource.k8s.io/') !== true) continue;
    const key = `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`;
    if (o.kind === 'ResourceClaimTemplate') templates.set(`template ${key}`, claimSpecGpus(o.spec?.spec));
    if (o.kind === 'ResourceClaim') templates.set(`claim ${key}`, claimSpecGpus(o.spec));
  }
  return (namespace, spec, c) => {
    let sum = 0;
    for (const ref of c.resources?.claims ?? []) {
      const podClaim = (spec.resourceClaims ?? []).find((x: Obj) => x.name === ref.name);
      if (!podClaim) continue;
      const ns = namespace ?? 'default';
      const known = podClaim.resourceClaimTemplateName !== undefined
        ? templates.get(`template ${ns}/${podClaim.resourceClaimTemplateName}`)
        : templates.get(`claim ${ns}/${podClaim.resourceClaimName}`);
      sum += known ?? (/gpu/i.test(`${podClaim.resourceClaimTemplateName ?? podClaim.resourceClaimName ?? ''}`) ? 1 : 0);
    }
    return sum;
  };
}
