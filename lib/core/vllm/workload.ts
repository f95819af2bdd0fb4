import { KubeObject } from '../kube';
import { ResolvedVllmService } from './options';
import { commonLabels, metadata, selectorLabels } from '../serving/labels';
import { cacheVolume, MODEL_CACHE_VOLUME, MODEL_IMAGE_VOLUME, STARTUP_ESTIMATE_ANNOTATION, workloadSpec } from '../serving/delivery';
import { hubEnv, loaderWaitContainer } from './loader';
import { VLLM_CONTAINER, VLLM_PORT, VLLM_PORT_NAME } from './labels';
import { requestLoggingOffFlag, versionAtLeast, VLLM_MILESTONES } from './version';
import { SPARE_GPUS_ANNOTATION } from '../validate/production';
import { loraArgs, loraEnv, loraInitContainers, loraMounts, loraVolumes } from './lora';
import { draPodFields } from './dra';
import { renderLeaderWorkerSet } from './multinode';

/** Where vLLM (through huggingface_hub) caches downloads; the cache volume is mounted here and HF_HOME points at it. */
export const HF_HOME = '/root/.cache/huggingface';
const WARM_MARKER = '/tmp/gpuplane-warm';

/** Seconds vLLM drains for on SIGTERM: what the grace period leaves after the 15 s preStop and a 5 s margin. */
export function shutdownTimeoutSeconds(terminationGracePeriodSeconds: number): number {
  return terminationGracePeriodSeconds - 15 - Math.min(5, terminationGracePeriodSeconds);
}

/** `vllm serve` arguments, in a fixed order. */
export function vllmArgs(r: ResolvedVllmService): string[] {
  const args = [
    r.delivery.image?.modelPath ?? r.model.huggingFaceId,
    '--served-model-name', r.servedModelName,
    ...(r.modelRevision !== undefined ? ['--revision', r.modelRevision] : []),
    '--port', String(VLLM_PORT),
    '--tensor-parallel-size', String(r.tensorParallelSize),
    ...(r.pipelineParallelSize > 1 ? ['--pipeline-parallel-size', String(r.pipelineParallelSize)] : []),
    '--gpu-memory-utilization', String(r.gpuMemoryUtilization),
    '--max-model-len', String(r.maxModelLen),
    '--max-num-seqs', String(r.maxNumSeqs),
  ];
  if (r.maxNumBatchedTokens !== undefined) args.push('--max-num-batched-tokens', String(r.maxNumBatchedTokens));
  if (r.blockSize !== undefined) args.push('--block-size', String(r.blockSize));
  if (r.quantization === 'awq' || r.quantization === 'gptq' || r.quantization === 'fp8') args.push('--quantization', r.quantization);
  if (r.kvCacheDtype === 'fp8') args.push('--kv-cache-dtype', 'fp8');
  if (r.enforceEager) args.push('--enforce-eager');
  args.push(...loraArgs(r.lora));
  args.push(requestLoggingOffFlag(r.version));
  // Drain in-flight requests within the grace period: preStop 15 s, then this, then 5 s of margin before SIGKILL
  // (KServe's rule: grace - preStop - min(5, grace)).
  if (versionAtLeast(r.version, VLLM_MILESTONES.shutdownTimeout)) args.push('--shutdown-timeout', String(shutdownTimeoutSeconds(r.terminationGracePeriodSeconds)));
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
  const out = hubEnv(r, HF_HOME);
  if (!r.downloadModel) out.push({ name: 'HF_HUB_OFFLINE', value: '1' });
  out.push(...loraEnv(r.lora));
  for (const key of Object.keys(r.env).sort()) out.push({ name: key, value: r.env[key] });
  return out;
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

/** The pod template of one vLLM server pod: the Deployment's, and the base of each rank of a multi-node group. */
export function vllmPodTemplate(r: ResolvedVllmService): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const gpus = String(r.gpusPerPod);
  // On a DRA placement the GPUs come from the pod's ResourceClaim: no extended-resource count.
  const dra = draPodFields(r);
  const gpuCount = dra.containerClaims ? {} : { [r.gpuResourceName]: gpus };
  const startupPeriod = 10;
  const httpHealth = { httpGet: { path: '/health', port: VLLM_PORT_NAME } };
  const readiness = r.istio?.mode === 'tuned'
    ? { exec: { command: warmupReadinessCommand(r) }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 60 }
    : { ...httpHealth, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 5 };
  const modelVolume = cacheVolume(r);
  const volumes: Record<string, unknown>[] = [...(modelVolume ? [modelVolume] : []), ...loraVolumes(r.lora)];
  const mounts: Record<string, unknown>[] = [
    ...(r.delivery.image ? [{ name: MODEL_IMAGE_VOLUME, mountPath: r.delivery.image.mountPath, readOnly: true }] : [{ name: MODEL_CACHE_VOLUME, mountPath: HF_HOME }]),
    ...loraMounts(r.lora),
  ];
  const waitForModel = loaderWaitContainer(r, HF_HOME);
  const hfEnv = hubEnv(r, HF_HOME);
  const initContainers = [...(waitForModel ? [waitForModel] : []), ...loraInitContainers(r.lora, { vllmImage: r.image, cacheVolume: MODEL_CACHE_VOLUME, cacheMount: HF_HOME, hfEnv })];
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
    metadata: { labels: commonLabels(r), annotations: podAnnotations(r) },
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: r.terminationGracePeriodSeconds,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      nodeSelector: r.nodeSelector && Object.keys(r.nodeSelector).length > 0 ? r.nodeSelector : undefined,
      tolerations: r.tolerations,
      resourceClaims: dra.resourceClaims,
      affinity,
      topologySpreadConstraints: spread,
      initContainers: initContainers.length > 0 ? initContainers : undefined,
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
            requests: { cpu: r.cpuRequest, memory: r.memoryRequest, ...gpuCount },
            limits: { memory: r.memoryLimit, ...gpuCount },
            claims: dra.containerClaims,
          },
          volumeMounts: mounts,
          startupProbe: { ...httpHealth, periodSeconds: startupPeriod, failureThreshold: Math.ceil(r.startupBudgetSeconds / startupPeriod), timeoutSeconds: 5 },
          readinessProbe: readiness,
          livenessProbe: { ...httpHealth, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 5 },
          lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 15'] } } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      volumes: volumes.length > 0 ? volumes : undefined,
    },
  };
}

/** The workload of the service: a Deployment on one node, a LeaderWorkerSet when a replica spans nodes. */
export function renderDeployment(r: ResolvedVllmService): KubeObject {
  const annotations: Record<string, string> = { [STARTUP_ESTIMATE_ANNOTATION]: r.delivery.startup.description };
  if (r.spareGpus > 0) annotations[SPARE_GPUS_ANNOTATION] = String(r.spareGpus);
  if (r.multiNode) return renderLeaderWorkerSet(r, vllmPodTemplate(r), annotations);
  return {
    apiVersion: 'apps/v1',
    kind: r.delivery.workloadKind,
    metadata: metadata(r, r.name, { annotations }),
    spec: workloadSpec(r, {
      replicas: r.autoscaling ? undefined : r.replicas,
      revisionHistoryLimit: r.revisionHistoryLimit,
      progressDeadlineSeconds: r.startupBudgetSeconds + 600,
      template: vllmPodTemplate(r),
    }),
  };
}

