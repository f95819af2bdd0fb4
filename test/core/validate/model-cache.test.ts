import { productionFindings, validateProductionRules } from '../../../lib/core/validate/production';
import { renderVllmService } from '../../../lib/core/vllm/render';

type Obj = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A vLLM Deployment with its cache on a volume of the given source, as charts without a PVC write it. */
function deployment(volume: Obj, replicas = 2, env: Obj[] = []): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'vllm', namespace: 'ml' },
    spec: {
      replicas, selector: { matchLabels: { app: 'vllm' } },
      template: {
        metadata: { labels: { app: 'vllm' } },
        spec: {
          containers: [{
            name: 'vllm', image: 'vllm/vllm-openai:v0.26.0', command: ['vllm', 'serve'], args: ['meta-llama/Llama-3.1-8B-Instruct', '--max-model-len', '8192'], env,
            startupProbe: { httpGet: { path: '/health', port: 8000 } }, readinessProbe: { httpGet: { path: '/health', port: 8000 } },
            volumeMounts: [{ name: 'cache', mountPath: '/root/.cache/huggingface' }],
          }],
          volumes: [{ name: 'cache', ...volume }],
        },
      },
    },
  };
}

const cacheFindings = (objs: Obj[]) => validateProductionRules(objs).filter((m) => m.includes('Hugging Face cache'));

describe('production rule model-cache-persistent', () => {
  test('fails if two replicas download into an emptyDir', () => {
    expect(cacheFindings([deployment({ emptyDir: {} })])).toEqual([
      'Deployment/ml/vllm container vllm: the Hugging Face cache (/root/.cache/huggingface) is on an emptyDir, deleted with the pod, and up to 2 pods run: every rollout, reschedule and scale-up downloads the model again. Use a PersistentVolumeClaim: one ReadWriteMany claim filled once (a loader Job, pods offline), or a StatefulSet with volumeClaimTemplates (one claim per replica)',
    ]);
    expect(productionFindings([deployment({ emptyDir: {} })]).filter((f) => f.message.includes('Hugging Face cache')).map((f) => f.rule)).toEqual(['model-cache-persistent']);
  });

  test('fails if an autoscaler can run more than one pod on a generic ephemeral volume (gpuplane\'s old default)', () => {
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'vllm', namespace: 'ml' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm' }, minReplicas: 1, maxReplicas: 4, metrics: [{ type: 'Pods', pods: { metric: { name: 'vllm_num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '5' } } }] } };
    const ephemeral = { ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '30Gi' } } } } } };
    expect(cacheFindings([deployment(ephemeral, 1), hpa])).toEqual([expect.stringContaining('is on a generic ephemeral volume, deleted with the pod, and up to 4 pods run')]);
  });

  test.each([
    ['one replica', deployment({ emptyDir: {} }, 1)],
    ['a PersistentVolumeClaim', deployment({ persistentVolumeClaim: { claimName: 'models' } })],
    ['offline pods', deployment({ emptyDir: {} }, 2, [{ name: 'HF_HUB_OFFLINE', value: '1' }])],
    ['the cache moved elsewhere', deployment({ emptyDir: {} }, 2, [{ name: 'HF_HOME', value: '/models' }])],
  ])('passes with %s', (_name, obj) => {
    expect(cacheFindings([obj])).toEqual([]);
  });

  test("passes on gpuplane's own renders: per-replica claims, the loader's cache", () => {
    expect(cacheFindings(renderVllmService({ name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' }).objects as Obj)).toEqual([]);
    expect(cacheFindings(renderVllmService({ name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB', modelCache: { accessMode: 'ReadWriteMany' } }).objects as Obj)).toEqual([]);
  });
});
