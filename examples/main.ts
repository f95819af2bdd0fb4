import { App, Chart } from 'cdk8s';
import { draGpuClaim, EtcdDashboard, ExternalEtcdCluster, GpuDashboard, GpuFleet, GpuNodePool, GpuOperatorStack, GpuplaneApp, InferenceGateway, KueueQueues, VllmDashboard, VllmService } from '../lib';
import { EXAMPLE_DRA_CHART, EXAMPLE_DRA_CLAIM, EXAMPLE_DRA_OPERATOR, EXAMPLE_DRA_SERVICE, EXAMPLE_KUEUE_CHART, EXAMPLE_KUEUE_GROUP_SERVICE, EXAMPLE_KUEUE_QUEUES, EXAMPLE_KUEUE_SERVICE } from './dra-kueue';
import { EXAMPLE_ETCD, EXAMPLE_ETCD_DASHBOARDS } from './etcd';
import { EXAMPLE_GATEWAY_CHART, EXAMPLE_GATEWAY_SERVICES, exampleGatewayProps } from './gateway';
import { EXAMPLE_FLEET_SERVICES, EXAMPLE_FLEETS } from './fleet';
import { EXAMPLE_GPU_DASHBOARDS, EXAMPLE_OPERATORS, EXAMPLE_POOL_SERVICES, EXAMPLE_POOLS } from './gpu-pools';
import { EXAMPLE_SERVICES } from './services';

/**
 * The cdk8s app `cdk8s synth` runs (cdk8s.yaml): one chart, and so one manifest file in dist/, per example. A
 * GpuplaneApp writes gpuplane's unmodified objects with the direct YAML writer; pass `App` for cdk8s's writer alone
 * (the same bytes). Either way `app.synth()` also writes the side files beside the manifests: each GPU Operator's
 * values, each etcd cluster's kubeadm configuration, the hosts-mode files and the fleet's SVG.
 */
export function buildApp(outdir?: string, AppClass: typeof App = GpuplaneApp): App {
  const app = new AppClass({ outdir });
  for (const [chartName, options] of Object.entries(EXAMPLE_SERVICES)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    new VllmService(chart, 'Service', options);
  }
  const pools: Record<string, GpuNodePool> = {};
  for (const [chartName, options] of Object.entries(EXAMPLE_POOLS)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    pools[chartName] = new GpuNodePool(chart, 'Pool', options);
    for (const s of EXAMPLE_POOL_SERVICES.filter((x) => x.pool === chartName)) {
      new VllmService(chart, s.service.name, { ...s.service, placement: pools[chartName].slice(s.profile) });
    }
  }
  for (const [chartName, { pools: names, ...options }] of Object.entries(EXAMPLE_OPERATORS)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    const stack = new GpuOperatorStack(chart, 'Operator', { ...options, pools: names.map((n) => pools[n]) });
    // The GPU pools dashboard (DCGM, MIG instances included) for the stack's pools.
    if (EXAMPLE_GPU_DASHBOARDS.includes(chartName)) new GpuDashboard(chart, 'Dashboard', { stack });
  }
  // A planned fleet: its pools, services and its own GPU Operator (the stack collects the fleet's pools). The fleet
  // writes `<chart>.fleet.svg` beside the manifests and prints its plan table at synth.
  for (const [chartName, request] of Object.entries(EXAMPLE_FLEETS)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    const fleet = new GpuFleet(chart, 'Fleet', { ...request, services: Object.fromEntries(request.workloads.map((w) => [w.name, EXAMPLE_FLEET_SERVICES])) });
    new GpuOperatorStack(chart, 'Operator', { platform: 'eks', delivery: 'flux', pools: fleet.pools });
  }
  // Two models behind one Gateway (a 10% canary on one), in a chart of their own.
  const gatewayChart = new Chart(app, EXAMPLE_GATEWAY_CHART, { disableResourceNameHashes: true });
  const gatewayServices = Object.fromEntries(Object.entries(EXAMPLE_GATEWAY_SERVICES).map(([key, options]) => [key, new VllmService(gatewayChart, options.name, options)]));
  new InferenceGateway(gatewayChart, 'Gateway', exampleGatewayProps(gatewayServices));
  for (const [key, service] of Object.entries(gatewayServices)) new VllmDashboard(gatewayChart, `${key}-dashboard`, { service });
  for (const [chartName, options] of Object.entries(EXAMPLE_ETCD)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    const etcd = new ExternalEtcdCluster(chart, 'Etcd', options);
    if (EXAMPLE_ETCD_DASHBOARDS.includes(chartName)) new EtcdDashboard(chart, 'Dashboard', { cluster: etcd });
  }
  // GPUs through DRA: the operator with the NVIDIA DRA driver, and a service whose claim is checked against its gates.
  const draChart = new Chart(app, EXAMPLE_DRA_CHART, { disableResourceNameHashes: true });
  const draOperator = new GpuOperatorStack(draChart, 'Operator', { ...EXAMPLE_DRA_OPERATOR, pools: [] });
  new VllmService(draChart, 'Service', { ...EXAMPLE_DRA_SERVICE, placement: draGpuClaim({ ...EXAMPLE_DRA_CLAIM, driver: draOperator.render }) });
  // A Kueue-admitted service: its queues and the service that names the LocalQueue.
  const kueueChart = new Chart(app, EXAMPLE_KUEUE_CHART, { disableResourceNameHashes: true });
  const queues = new KueueQueues(kueueChart, 'Queues', EXAMPLE_KUEUE_QUEUES);
  new VllmService(kueueChart, 'Service', { ...EXAMPLE_KUEUE_SERVICE, queue: queues.localQueue('inference') });
  new VllmService(kueueChart, 'GroupService', { ...EXAMPLE_KUEUE_GROUP_SERVICE, queue: queues.localQueue('inference') });
  return app;
}

if (require.main === module) {
  const app = buildApp();
  app.synth();
}
