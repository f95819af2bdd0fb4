import { execFileSync } from 'child_process';
import { join } from 'path';
import { draGpuClaim, productNameFromLabel } from '../../../lib/core/gpu/dra';
import { KubeObject } from '../../../lib/core/kube';
import { renderGpuOperatorStack } from '../../../lib/core/operator/stack';
import { validateSchema } from '../../../lib/core/validate/schema';
import { validateProductionRules } from '../../../lib/core/validate/production';
import { renderVllmService } from '../../../lib/core/vllm/render';
import { problemsOf } from '../../helpers/problems';

/* eslint-disable @typescript-eslint/no-explicit-any */
const H100 = () => draGpuClaim({ gpu: 'H100-80GB' });
const base = { name: 'llama-70b', namespace: 'inference', model: 'llama-3.1-70b', tensorParallelSize: 4 } as const;
const render = (placement = H100(), extra: Record<string, unknown> = {}) => renderVllmService({ ...base, placement, ...extra });
const claimOf = (objects: readonly KubeObject[]) => objects.find((o) => o.kind === 'ResourceClaimTemplate') as any;
const podOf = (objects: readonly KubeObject[]) => (objects.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet') as any).spec.template.spec;

/** kubernetes-models 5.1 (ESM only) loaded through dynamic import() in a child Node process: jest runs CommonJS. */
function kubernetesModels5(objects: readonly unknown[]): string[] {
  const script = [
    "import { readFileSync } from 'fs';",
    "const { ResourceClaimTemplate } = await import('kubernetes-models-5/resource.k8s.io/v1/ResourceClaimTemplate');",
    "const out = JSON.parse(readFileSync(0, 'utf8')).map((o) => { try { new ResourceClaimTemplate(o).validate(); return 'ok'; } catch (e) { return String(e.message); } });",
    'console.log(JSON.stringify(out));',
  ].join('\n');
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(objects), cwd: join(__dirname, '../../..'), encoding: 'utf8' });
  return JSON.parse(stdout) as string[];
}

describe('VllmService on a DRA claim (resource.k8s.io/v1)', () => {
  test('renders a ResourceClaimTemplate selecting 80 GB H100s by attribute, referenced from the pod', () => {
    const objects = render().objects;
    expect(claimOf(objects)).toMatchSnapshot();
    expect(claimOf(objects).spec.spec.devices.requests).toEqual([{
      name: 'gpu',
      exactly: {
        deviceClassName: 'gpu.nvidia.com', allocationMode: 'ExactCount', count: 4,
        selectors: [
          { cel: { expression: 'device.attributes["gpu.nvidia.com"].productName == "NVIDIA H100 80GB HBM3"' } },
          { cel: { expression: 'device.capacity["gpu.nvidia.com"].memory.compareTo(quantity("79Gi")) >= 0' } },
        ],
      },
    }]);
    const pod = podOf(objects);
    expect(pod.resourceClaims).toEqual([{ name: 'gpus', resourceClaimTemplateName: 'llama-70b-gpus' }]);
    expect(pod.containers[0].resources).toEqual({ claims: [{ name: 'gpus' }], requests: { cpu: '10', memory: '80Gi' }, limits: { memory: '104Gi' } });
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.affinity).toBeUndefined();
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('pipeline parallel on one node: the claim asks for every GPU of the pod (tensor x pipeline), as vLLM uses them', () => {
    const objects = render(H100(), { tensorParallelSize: 2, pipelineParallelSize: 2 }).objects;
    expect(claimOf(objects).spec.spec.devices.requests[0].exactly.count).toBe(4);
  });

  test('the claim passes the production rules, which count its GPUs', () => {
    const objects = render().objects;
    expect(validateProductionRules(objects)).toEqual([]);
    const workload = objects.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet') as any;
    // The same pod template in a surging Deployment: the surge rule must count the claim's 4 GPUs per pod.
    const withCpuLimit = { ...JSON.parse(JSON.stringify(workload)), kind: 'Deployment' };
    withCpuLimit.spec.template.spec.containers[0].resources.limits.cpu = '8';
    withCpuLimit.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    const found = validateProductionRules([claimOf(objects), withCpuLimit]);
    expect(found.join('\n')).toContain('limits.cpu "8" on a GPU container');
    expect(found.join('\n')).toContain('needs 4 free GPU(s) for the surge pod(s) (4 per pod)');
  });

  test('MIG instances through mig.nvidia.com select the profile', () => {
    const placement = draGpuClaim({ gpu: 'A100-80GB', mig: { profile: '3g.40gb' } });
    const objects = renderVllmService({ name: 'llama-8b', namespace: 'inference', model: 'llama-3.1-8b', placement }).objects;
    expect(claimOf(objects).spec.spec.devices.requests[0]).toEqual({
      name: 'mig',
      exactly: {
        deviceClassName: 'mig.nvidia.com', allocationMode: 'ExactCount', count: 1,
        selectors: [
          { cel: { expression: 'device.attributes["gpu.nvidia.com"].productName == "NVIDIA A100 SXM4 80GB"' } },
          { cel: { expression: 'device.attributes["gpu.nvidia.com"].profile == "3g.40gb"' } },
        ],
      },
    });
  });

  test('a claim by memory alone sizes the fit check from the least GPU it admits', () => {
    const placement = draGpuClaim({ minMemoryGiB: 40 });
    expect(placement.gpu).toEqual({ id: 'DRA GPU >= 40Gi', memoryGiB: 39.6 });
    expect(problemsOf(() => renderVllmService({ ...base, tensorParallelSize: 1, placement }))).toContain("'model' does not fit");
  });

  test('product names follow GPU Feature Discovery labels', () => {
    expect(productNameFromLabel('NVIDIA-H100-80GB-HBM3')).toBe('NVIDIA H100 80GB HBM3');
    expect(productNameFromLabel('Tesla-T4')).toBe('Tesla T4');
  });

  test('fails if the claim pins neither a GPU nor memory', () => {
    expect(problemsOf(() => draGpuClaim({}))).toContain("'minMemoryGiB' is required without gpu: a claim that pins no memory can be given any GPU, and the fit check has no numbers");
  });

  test('fails if the memory selector asks for more than the GPU publishes', () => {
    expect(problemsOf(() => draGpuClaim({ gpu: 'H100-80GB', minMemoryGiB: 80 }))).toContain("'minMemoryGiB' is more than the H100-80GB has: its devices publish about 79.2 GiB (NVML's total, below the marketing 80 GB), so the selector matches none and the pod stays Pending (got 80; allowed: at most 79)");
  });

  test('fails if a selector reads an attribute the driver does not publish', () => {
    expect(problemsOf(() => draGpuClaim({ gpu: 'H100-80GB', selectors: ['device.attributes["gpu.nvidia.com"].productname == "x"'] }))).toContain("'selectors[0]' reads attributes productname, which the NVIDIA DRA driver does not publish");
  });

  test('fails if dynamic MIG is asked for while the driver gate is off, and passes with it on', () => {
    expect(problemsOf(() => draGpuClaim({ gpu: 'H100-80GB', mig: { profile: '1g.10gb', dynamic: true } }))).toContain("'mig.dynamic' needs the DRA driver's DynamicMIG feature gate, which is alpha and off");
    const stack = renderGpuOperatorStack({ draDriver: { featureGates: { DynamicMIG: true } } });
    expect(draGpuClaim({ gpu: 'H100-80GB', mig: { profile: '1g.10gb', dynamic: true }, driver: stack }).dra?.deviceClassName).toBe('mig.nvidia.com');
  });

  test('fails if MIG is asked of a GPU without MIG', () => {
    expect(problemsOf(() => draGpuClaim({ gpu: 'L40S', mig: { profile: '1g.10gb' } }))).toContain("'mig' needs a MIG-capable GPU, and the L40S has no MIG");
  });

  test('fails if tensor parallelism spans MIG instances or the quota counts nvidia.com/gpu', () => {
    expect(problemsOf(() => render(draGpuClaim({ gpu: 'A100-80GB', mig: { profile: '3g.40gb' } })))).toContain("'tensorParallelSize' must be 1 on a MIG instance (3g.40gb)");
    expect(problemsOf(() => render(H100(), { createNamespace: true, namespace: 'team-a', namespaceGpuQuota: 8 }))).toContain("'namespaceGpuQuota' caps requests.nvidia.com/gpu, which pods on a DRA claim do not request");
  });
});

describe('ResourceClaimTemplate v1 shape', () => {
  const good = () => JSON.parse(JSON.stringify(claimOf(render().objects)));
  /** The v1beta1 request: deviceClassName, selectors and count directly under requests[]. */
  const v1beta1Shaped = () => {
    const o = good();
    const r = o.spec.spec.devices.requests[0];
    o.spec.spec.devices.requests[0] = { name: r.name, ...r.exactly };
    return o;
  };

  test('the rendered claim is valid for gpuplane and for kubernetes-models 5.1', () => {
    expect(validateSchema(good())).toEqual([]);
    expect(kubernetesModels5([good()])).toEqual(['ok']);
  });

  test('fails if deviceClassName sits directly under requests[] (the v1beta1 shape, a strict decoding error in v1)', () => {
    expect(validateSchema(v1beta1Shaped()).join('\n')).toContain('data/spec/spec/devices/requests/0 must NOT have additional properties (deviceClassName)');
    // kubernetes-models 5.1 accepts unknown fields, so it lets the v1beta1 shape through: the reason for our schema.
    expect(kubernetesModels5([v1beta1Shaped()])).toEqual(['ok']);
  });

  test('fails if a request has neither exactly nor firstAvailable, or a count with All', () => {
    const none = good();
    delete none.spec.spec.devices.requests[0].exactly;
    expect(validateSchema(none).join('\n')).toContain('must match exactly one schema in oneOf');
    const all = good();
    all.spec.spec.devices.requests[0].exactly.allocationMode = 'All';
    expect(validateSchema(all).join('\n')).toContain('must NOT be valid');
  });
});
