import { Chart, JsonPatch, Testing } from 'cdk8s';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { VllmService } from '../../lib/cdk8s';
import { renderVllmService } from '../../lib/core/vllm/render';
import { validateObjects } from '../../lib/core/validate';
import { find, vllmContainer } from '../helpers/find';

describe('VllmService (cdk8s)', () => {
  test('default render (snapshot)', () => {
    const chart = Testing.chart();
    new VllmService(chart, 'Llama', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('a multi-node service synthesizes its LeaderWorkerSet (through the kinds registry) and exposes it as the workload', () => {
    const chart = Testing.chart();
    const props = { namespace: 'inference', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8, pipelineParallelSize: 2 };
    const svc = new VllmService(chart, 'llama-405b', props);
    const manifests = Testing.synth(chart);
    expect(manifests).toEqual(renderVllmService({ name: 'llama-405b', ...props }).objects);
    expect(svc.deployment.kind).toBe('LeaderWorkerSet');
    expect(svc.deployment.name).toBe('llama-405b-lws');
    expect(Object.keys(svc.apiObjects)[0]).toBe('LeaderWorkerSet-lws');
    expect(validateObjects(manifests)).toEqual([]);
  });

  test('synthesizes exactly the core objects, each valid', () => {
    const chart = Testing.chart();
    const svc = new VllmService(chart, 'Llama', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    const manifests = Testing.synth(chart);
    expect(manifests).toEqual(renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' }).objects);
    expect(validateObjects(manifests)).toEqual([]);
    expect(Object.keys(svc.apiObjects)).toEqual([
      'StatefulSet', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ConfigMap-prometheus-adapter-rule', 'ServiceMonitor', 'PrometheusRule', 'NetworkPolicy',
    ]);
  });

  test('exposes the resolved options, the estimate and the URL', () => {
    const chart = Testing.chart();
    const svc = new VllmService(chart, 'Llama', { name: 'chat', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    expect(svc.url).toBe('http://chat.inference.svc.cluster.local:8000/v1');
    expect(svc.resolved.gpuMemoryUtilization).toBe(0.85);
    expect(svc.memory.fits).toBe(true);
    expect(svc.memory.maxConcurrency).toBeGreaterThan(40);
    expect(svc.deployment.name).toBe('chat');
    expect(svc.service.kind).toBe('Service');
  });

  test('TP=4 render carries the shm volume', () => {
    const chart = Testing.chart();
    new VllmService(chart, 'Big', { model: 'llama-3.3-70b', gpu: 'H100-80GB', tensorParallelSize: 4 });
    const d = find(Testing.synth(chart), 'StatefulSet');
    expect(vllmContainer(d).volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
  });

  test('fails at construction if the options are refused', () => {
    const chart = Testing.chart();
    expect(() => new VllmService(chart, 'Big', { model: 'llama-3.1-70b', gpu: 'L4' })).toThrow(/VllmService 'big': 1 problem\n  - 'model' does not fit/);
  });

  test('fails cdk8s synth with the construct path if an override breaks the schema', () => {
    const app = Testing.app({ outdir: mkdtempSync(join(tmpdir(), 'gpuplane-cdk8s-')) });
    const chart = new Chart(app, 'prod');
    const svc = new VllmService(chart, 'Llama', { model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    svc.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/ports/0/containerPort', '8000'));
    expect(() => app.synth()).toThrow(/\[prod\/Llama\] StatefulSet\/default\/llama: schema apps\/v1\/StatefulSet: data\/spec\/template\/spec\/containers\/0\/ports\/0\/containerPort must be integer/);
  });

  test('fails cdk8s synth if an override breaks a semantic rule', () => {
    const app = Testing.app({ outdir: mkdtempSync(join(tmpdir(), 'gpuplane-cdk8s-')) });
    const chart = new Chart(app, 'prod');
    const svc = new VllmService(chart, 'Llama', { model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    svc.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', '2'));
    expect(() => app.synth()).toThrow(/\[prod\/Llama\] .*extended resource nvidia.com\/gpu must have request equal to limit \(got 1 and 2\)/);
  });

  test('fails cdk8s synth if an override breaks a production rule', () => {
    const app = Testing.app({ outdir: mkdtempSync(join(tmpdir(), 'gpuplane-cdk8s-')) });
    const chart = new Chart(app, 'prod');
    // A shared ReadWriteMany cache: a Deployment, whose rollout the patch breaks.
    const svc = new VllmService(chart, 'Llama', { model: 'llama-3.1-8b', gpu: 'H100-80GB', modelCache: { accessMode: 'ReadWriteMany', loader: false } });
    expect(svc.deployment).toBe(svc.workload);
    svc.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/resources/limits/cpu', '8'));
    svc.deployment.addJsonPatch(JsonPatch.replace('/spec/strategy/rollingUpdate', { maxSurge: 1, maxUnavailable: 0 }));
    expect(() => app.synth()).toThrow(/\[prod\/Llama\] Deployment\/default\/llama container vllm: limits.cpu "8" on a GPU container/);
    expect(() => app.synth()).toThrow(/\[prod\/Llama\] Deployment\/default\/llama: maxSurge 1 needs 1 free GPU\(s\)/);
  });
});
