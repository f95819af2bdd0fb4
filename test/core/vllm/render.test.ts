import { renderVllmService } from '../../../lib/core/vllm/render';
import { VllmServiceOptions } from '../../../lib/core/vllm/options';
import { validateObjects } from '../../../lib/core/validate';
import { find, findWorkload, flag, kinds, vllmContainer } from '../../helpers/find';

const base: VllmServiceOptions = { name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' };

describe('renderVllmService: default render', () => {
  const { objects } = renderVllmService(base);
  // More than one replica on any storage: a StatefulSet with one cache claim per replica (lib/core/serving/delivery.ts).
  const deployment = find(objects, 'StatefulSet');
  const container = vllmContainer(deployment);
  const pod = deployment.spec.template.spec;

  test('renders the objects of a production service, each valid against its schema', () => {
    expect(kinds(objects)).toEqual([
      'StatefulSet/llama', 'Service/llama', 'PodDisruptionBudget/llama', 'HorizontalPodAutoscaler/llama',
      'ConfigMap/llama-prometheus-adapter-rule', 'ServiceMonitor/llama', 'PrometheusRule/llama', 'NetworkPolicy/llama',
    ]);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('is deterministic', () => {
    expect(JSON.stringify(renderVllmService(base).objects)).toBe(JSON.stringify(objects));
  });

  test('pins the image and passes the sized flags', () => {
    expect(container.image).toBe('vllm/vllm-openai:v0.26.0');
    expect(container.command).toEqual(['vllm', 'serve']);
    expect(container.args[0]).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(flag(container.args, '--gpu-memory-utilization')).toBe('0.85');
    expect(flag(container.args, '--max-model-len')).toBe('8192');
    expect(flag(container.args, '--max-num-seqs')).toBe('256');
    expect(flag(container.args, '--tensor-parallel-size')).toBe('1');
    expect(flag(container.args, '--port')).toBe('8000');
    expect(container.args).toContain('--no-enable-log-requests');
    expect(container.args).not.toContain('--enforce-eager');
  });

  test('older vLLM spells request logging off the old way', () => {
    const old = vllmContainer(findWorkload(renderVllmService({ ...base, vllmVersion: '0.9.2' }).objects));
    expect(old.image).toBe('vllm/vllm-openai:v0.9.2');
    expect(old.args).toContain('--disable-log-requests');
    expect(old.args).not.toContain('--no-enable-log-requests');
  });

  test('GPU requests equal limits; CPU is requested, never limited', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '4', memory: '24Gi', 'nvidia.com/gpu': '1' },
      limits: { memory: '32Gi', 'nvidia.com/gpu': '1' },
    });
  });

  test('probes: a startup budget for the load, then tight readiness and liveness on /health', () => {
    expect(container.startupProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 5 });
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 5 });
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 });
    expect(container.livenessProbe.initialDelaySeconds).toBeUndefined();
  });

  test('the HF token only as a Secret reference, and the cache where vLLM caches', () => {
    expect(container.env).toEqual([
      { name: 'HF_HOME', value: '/root/.cache/huggingface' },
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } },
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'model-cache', mountPath: '/root/.cache/huggingface' }]);
    expect(deployment.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'model-cache', labels: { 'app.kubernetes.io/instance': 'llama', 'app.kubernetes.io/name': 'vllm' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '30Gi' } } } },
    ]);
  });

  test('no /dev/shm at TP=1 (and no pod volume: the claim template adds the cache)', () => {
    expect(pod.volumes).toBeUndefined();
  });

  test('GPU scheduling: toleration and product affinity', () => {
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: ['NVIDIA-H100-80GB-HBM3'] }] },
    ]);
  });

  test('a rollout that cannot deadlock on GPUs, graceful shutdown, spread across nodes', () => {
    // A StatefulSet's rolling update replaces one pod at a time and never surges.
    expect(deployment.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(deployment.spec.revisionHistoryLimit).toBe(3);
    expect(deployment.spec.replicas).toBeUndefined(); // the HPA owns it
    expect(container.lifecycle.preStop.exec.command).toEqual(['/bin/sh', '-c', 'sleep 15']);
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname' });
  });

  test('security context that works with the official image', () => {
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('ClusterIP Service on the named port 8000', () => {
    expect(find(objects, 'Service').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/instance': 'llama', 'app.kubernetes.io/name': 'vllm' },
      ports: [{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
    });
  });

  test('a PDB that protects', () => {
    expect(find(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('HPA on queue depth with the asymmetric behaviour, and the adapter rule that serves the metric', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler').spec;
    expect(hpa.minReplicas).toBe(2);
    expect(hpa.maxReplicas).toBe(8);
    expect(hpa.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'vllm_num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '5' } } }]);
    expect(hpa.behavior).toEqual({
      scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
    });
    const rules = find(objects, 'ConfigMap').data['rules.yaml'];
    expect(rules).toContain('seriesQuery: vllm:num_requests_waiting{namespace!="",pod!=""}');
    expect(rules).toContain('as: vllm_num_requests_waiting');
  });

  test('NetworkPolicy: serving port from the own namespace and the scraper; DNS and hub egress', () => {
    const np = find(objects, 'NetworkPolicy').spec;
    expect(np.ingress).toEqual([
      { from: [{ podSelector: {} }], ports: [{ port: 8000, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 8000, protocol: 'TCP' }] },
    ]);
    expect(np.egress.map((e: { ports: { port: number }[] }) => e.ports[0].port)).toEqual([53, 443]);
  });

  test('alerts use the metric names vLLM exports today', () => {
    const rules = find(objects, 'PrometheusRule').spec.groups[0].rules as { alert: string; expr: string }[];
    expect(rules.map((r) => r.alert)).toEqual([
      'VllmKvCacheUsageHigh', 'VllmKvCacheUsageCritical', 'VllmPreemptions', 'VllmRequestsWaiting', 'VllmTimeToFirstTokenHigh', 'VllmInterTokenLatencyHigh', 'VllmSaturated', 'VllmContainerOOMKilled', 'VllmContainerRestarting',
    ]);
    expect(rules[0].expr).toBe('max by (namespace, pod, model_name) (vllm:kv_cache_usage_perc{namespace="inference",job="llama"}) > 0.9');
    expect(rules[1].expr).toContain('> 0.95');
    expect(rules[2].expr).toContain('vllm:num_preemptions_total');
    expect(rules[4].expr).toContain('vllm:time_to_first_token_seconds_bucket');
    expect(rules[5].expr).toContain('vllm:inter_token_latency_seconds_bucket');
    expect(rules[6].expr).toBe('max by (namespace, pod, model_name) (vllm:num_requests_running{namespace="inference",job="llama"}) >= 256');
    // Pods of exactly this StatefulSet (kube-state-metrics' owner series), not every pod named llama-*.
    for (const r of rules.slice(7)) {
      expect(r.expr).not.toContain('pod=~');
      expect(r.expr).toContain('kube_pod_owner{namespace="inference",owner_kind="StatefulSet",owner_name="llama"}');
    }
  });
});

describe('renderVllmService: options', () => {
  test('TP=4 mounts a memory-backed /dev/shm and requests four GPUs', () => {
    const d = findWorkload(renderVllmService({ ...base, model: 'llama-3.3-70b', tensorParallelSize: 4 }).objects);
    const c = vllmContainer(d);
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } });
    expect(c.volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
    expect(c.resources.requests['nvidia.com/gpu']).toBe('4');
    expect(c.resources.limits['nvidia.com/gpu']).toBe('4');
    expect(c.resources.requests.memory).toBe('80Gi');
  });

  test('declared spare GPUs allow a surge of whole pods (a Deployment on a shared cache)', () => {
    const d = find(renderVllmService({ ...base, model: 'llama-3.3-70b', tensorParallelSize: 4, spareGpus: 8, modelCache: { accessMode: 'ReadWriteMany' } }).objects, 'Deployment');
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: 0 });
  });

  test('KEDA ScaledObject on vllm:num_requests_waiting by model_name', () => {
    const { objects } = renderVllmService({ ...base, servedModelName: 'llama', autoscaling: { mode: 'keda' } });
    const so = find(objects, 'ScaledObject').spec;
    expect(so.triggers[0]).toEqual({
      type: 'prometheus', metricType: 'AverageValue',
      metadata: { serverAddress: 'http://prometheus-operated.monitoring.svc:9090', query: 'sum(vllm:num_requests_waiting{namespace="inference",model_name="llama"})', threshold: '5' },
    });
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  test('Istio bypass keeps the sidecar off', () => {
    const d = findWorkload(renderVllmService({ ...base, istio: { mode: 'bypass' } }).objects);
    expect(d.spec.template.metadata.annotations['sidecar.istio.io/inject']).toBe('false');
  });

  test('Istio tuned: small sidecar, 300 s route timeout, big pools, warm-up before ready', () => {
    const { objects } = renderVllmService({ ...base, istio: { mode: 'tuned' } });
    const d = findWorkload(objects);
    expect(d.spec.template.metadata.annotations).toMatchObject({ 'sidecar.istio.io/proxyCPU': '50m', 'sidecar.istio.io/proxyMemory': '64Mi' });
    expect(find(objects, 'VirtualService').spec.http[0].timeout).toBe('300s');
    expect(find(objects, 'DestinationRule').spec.trafficPolicy.connectionPool).toEqual({ tcp: { maxConnections: 1000 }, http: { http1MaxPendingRequests: 10000, http2MaxRequests: 10000 } });
    const readiness = vllmContainer(d).readinessProbe;
    expect(readiness.exec.command[0]).toBe('python3');
    expect(readiness.exec.command[2]).toContain('/v1/completions');
  });

  test('no download: no hub egress, offline mode', () => {
    const { objects } = renderVllmService({ ...base, downloadModel: false, modelCache: { mode: 'shared', accessMode: 'ReadWriteMany', existingClaimName: 'models' } });
    expect(find(objects, 'NetworkPolicy').spec.egress).toHaveLength(1);
    expect(vllmContainer(find(objects, 'Deployment')).env).toContainEqual({ name: 'HF_HUB_OFFLINE', value: '1' });
  });

  test('namespace with a GPU quota on requests only (extended resources take no limits. quota)', () => {
    const { objects } = renderVllmService({ ...base, createNamespace: true, namespaceGpuQuota: 8 });
    expect(find(objects, 'Namespace').metadata.name).toBe('inference');
    expect(find(objects, 'ResourceQuota').spec.hard).toEqual({ 'requests.nvidia.com/gpu': '8' });
  });

  test('one replica: a shared RWO cache claim and a PDB that keeps that replica', () => {
    const { objects } = renderVllmService({ ...base, autoscaling: false, replicas: 1 });
    expect(find(objects, 'PersistentVolumeClaim', 'llama-model-cache').spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(find(objects, 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 1 });
    expect(find(objects, 'Deployment').spec.replicas).toBe(1);
  });

  test('vLLM before 0.10 alerts on the old KV cache metric name', () => {
    const rules = find(renderVllmService({ ...base, vllmVersion: '0.9.2' }).objects, 'PrometheusRule').spec.groups[0].rules;
    expect(rules[0].expr).toContain('vllm:gpu_cache_usage_perc');
    expect(rules.find((r: { alert: string }) => r.alert === 'VllmInterTokenLatencyHigh').expr).toContain('vllm:time_per_output_token_seconds_bucket');
  });
});
