import { KubeObject } from '../kube';
import { ResolvedVllmService } from './options';
import { commonLabels, metadata, selectorLabels, VLLM_CONTAINER, VLLM_PORT, VLLM_PORT_NAME } from './labels';
import { requestLoggingOffFlag } from './version';
import { SPARE_GPUS_ANNOTATION } from '../validate/production';

/** Where vLLM (through huggingface_hub) caches downloads; the cache volume is mounted here and HF_HOME points at it. */
export const HF_HOME = '/root/.cache/huggingface';
const WARM_MARKER = '/tmp/gpuplane-warm';

/** `vllm serve` arguments, in a fixed order. */
export function vllmArgs(r: ResolvedVllmService): string[] {
  const args = [
    r.model.huggingFaceId,
    '--served-model-name', r.servedModelName,
    '--port', String(VLLM_PORT),
    '--tensor-parallel-size', String(r.tensorParallelSize),
    '--gpu-memory-utilization', String(r.gpuMemoryUtilization),
    '--max-model-len', String(r.maxModelLen),
    '--max-num-seqs', String(r.maxNumSeqs),
  ];
  if (r.maxNumBatchedTokens !== undefined) args.push('--max-num-batched-tokens', String(r.maxNumBatchedTokens));
  if (r.blockSize !== undefined) args.push('--block-size', String(r.blockSize));
  if (r.quantization === 'awq' || r.quantization === 'gptq' || r.quantization === 'fp8') args.push('--quantization', r.quantization);
  if (r.kvCacheDtype === 'fp8') args.push('--kv-cache-dtype', 'fp8');
  if (r.enforceEager) args.push('--enforce-eager');
  args.push(requestLoggingOffFlag(r.version));
  return [...args, ...r.extraArgs];
}

/** A Python one-liner (the image always has python3, not always curl) that sends one token of traffic, then marks the pod warm. */
function warmupReadinessCommand(r: ResolvedVllmService): string[] {
  const body = JSON.stringify({ model: r.servedModelName, prompt: 'warmup', max_tokens: 1 });
  const script = [
    'import os, urllib.request',
    `base = "http://127.0.0.1:${VLLM_PORT}"`,
    `marker = "${WARM_MARKER}"`,
    'urllib.request.urlopen(base + "/health", timeout=5)',
    'if not os.path.exists(marker):',
    `    req = urllib.request.Request(base + "/v1/completions", data=${JSON.stringify(body)}.encode(), headers={"Content-Type": "application/json"})`,
    '    urllib.request.urlopen(req, timeout=50)',
    '    open(marker, "w").close()',
  ].join('\n');
  return ['python3', '-c', script];
}

function env(r: ResolvedVllmService): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ name: 'HF_HOME', value: HF_HOME }];
  if (r.hfTokenSecret) {
    out.push({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: r.hfTokenSecret.name, key: r.hfTokenSecret.key } } });
  }
  if (!r.downloadModel) out.push({ name: 'HF_HUB_OFFLINE', value: '1' });
  for (const key of Object.keys(r.env).sort()) out.push({ name: key, value: r.env[key] });
  return out;
}

function cacheVolume(r: ResolvedVllmService): Record<string, unknown> {
  if (r.modelCache.mode === 'shared') {
    return { name: 'model-cache', persistentVolumeClaim: { claimName: r.modelCache.existingClaimName ?? `${r.name}-model-cache` } };
  }
  return {
    name: 'model-cache',
    ephemeral: {
      volumeClaimTemplate: {
        metadata: { labels: selectorLabels(r) },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: r.modelCache.size } },
          storageClassName: r.modelCache.storageClassName,
        },
      },
    },
  };
}

/** The PersistentVolumeClaim of a shared cache (none for per-replica caches or an existing claim). */
export function renderModelCacheClaim(r: ResolvedVllmService): KubeObject[] {
  if (r.modelCache.mode !== 'shared' || r.modelCache.existingClaimName) return [];
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: metadata(r, `${r.name}-model-cache`),
      spec: {
        accessModes: [r.modelCache.accessMode],
        resources: { requests: { storage: r.modelCache.size } },
        storageClassName: r.modelCache.storageClassName,
      },
    },
  ];
}

/** The rollout never needs a GPU the cluster does not have: it surges only into declared spare capacity. */
export function rolloutStrategy(r: ResolvedVllmService): Record<string, unknown> {
  const surgePods = Math.floor(r.spareGpus / r.tensorParallelSize);
  return {
    type: 'RollingUpdate',
    rollingUpdate: surgePods >= 1 ? { maxSurge: surgePods, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: 1 },
  };
}

function podAnnotations(r: ResolvedVllmService): Record<string, string> {
  const a: Record<string, string> = { 'gpuplane.dev/model': r.model.huggingFaceId };
  if (r.placement) a['gpuplane.dev/placement'] = `${r.placement.poolName}${r.placement.profile ? `/${r.placement.profile}` : ''}`;
  if (r.istio?.mode === 'bypass') a['sidecar.istio.io/inject'] = 'false';
  if (r.istio?.mode === 'tuned') {
    a['sidecar.istio.io/proxyCPU'] = '50m';
    a['sidecar.istio.io/proxyMemory'] = '64Mi';
  }
  return a;
}

export function renderDeployment(r: ResolvedVllmService): KubeObject {
  const gpus = String(r.tensorParallelSize);
  const startupPeriod = 10;
  const httpHealth = { httpGet: { path: '/health', port: VLLM_PORT_NAME } };
  const readiness = r.istio?.mode === 'tuned'
    ? { exec: { command: warmupReadinessCommand(r) }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 60 }
    : { ...httpHealth, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 5 };
  const volumes: Record<string, unknown>[] = [cacheVolume(r)];
  const mounts: Record<string, unknown>[] = [{ name: 'model-cache', mountPath: HF_HOME }];
  if (r.shmSize) {
    volumes.push({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: r.shmSize } });
    mounts.push({ name: 'dshm', mountPath: '/dev/shm' });
  }
  const affinity = r.gpu.productLabel && !r.placement
    ? {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.product', operator: 'In', values: [r.gpu.productLabel] }] }],
          },
        },
      }
    : undefined;
  const spread = r.maxPossibleReplicas > 1
    ? [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selectorLabels(r) } }]
    : undefined;

  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(r, r.name, r.spareGpus > 0 ? { annotations: { [SPARE_GPUS_ANNOTATION]: String(r.spareGpus) } } : undefined),
    spec: {
      replicas: r.autoscaling ? undefined : r.replicas,
      revisionHistoryLimit: r.revisionHistoryLimit,
      progressDeadlineSeconds: r.startupBudgetSeconds + 600,
      selector: { matchLabels: selectorLabels(r) },
      strategy: rolloutStrategy(r),
      template: {
        metadata: { labels: commonLabels(r), annotations: podAnnotations(r) },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: r.terminationGracePeriodSeconds,
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          nodeSelector: r.nodeSelector,
          tolerations: r.tolerations,
          affinity,
          topologySpreadConstraints: spread,
          containers: [
            {
              name: VLLM_CONTAINER,
              image: r.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['vllm', 'serve'],
              args: vllmArgs(r),
              ports: [{ name: VLLM_PORT_NAME, containerPort: VLLM_PORT, protocol: 'TCP' }],
              env: env(r),
              resources: {
                requests: { cpu: r.cpuRequest, memory: r.memoryRequest, [r.gpuResourceName]: gpus },
                limits: { memory: r.memoryLimit, [r.gpuResourceName]: gpus },
              },
              volumeMounts: mounts,
              startupProbe: { ...httpHealth, periodSeconds: startupPeriod, failureThreshold: Math.ceil(r.startupBudgetSeconds / startupPeriod), timeoutSeconds: 5 },
              readinessProbe: readiness,
              livenessProbe: { ...httpHealth, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 },
              lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 15'] } } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
          volumes,
        },
      },
    },
  };
}

export function renderService(r: ResolvedVllmService): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(r, r.name),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(r),
      ports: [{ name: VLLM_PORT_NAME, port: VLLM_PORT, targetPort: VLLM_PORT_NAME, protocol: 'TCP', appProtocol: 'http' }],
    },
  };
}

/** A budget that protects: one pod at a time with two or more replicas; the only pod with one. Never minAvailable 0. */
export function renderDisruptionBudget(r: ResolvedVllmService): KubeObject {
  const budget = r.minReplicas >= 2 ? { maxUnavailable: 1 } : { minAvailable: 1 };
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(r, r.name),
    spec: { ...budget, selector: { matchLabels: selectorLabels(r) } },
  };
}

export function renderNamespace(r: ResolvedVllmService): KubeObject[] {
  if (!r.createNamespace) return [];
  const out: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.namespace, labels: { 'app.kubernetes.io/managed-by': 'gpuplane' } } }];
  if (r.namespaceGpuQuota !== undefined) {
    // Quotas on extended resources take only the `requests.` prefix.
    out.push({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: metadata(r, `${r.name}-gpu-quota`),
      spec: { hard: { 'requests.nvidia.com/gpu': String(r.namespaceGpuQuota) } },
    });
  }
  return out;
}
