import { draGpuClaim, EtcdDashboard, ExternalEtcdCluster, GpuDashboard, GpuNodePool, GpuOperatorStack, InferenceGateway, KueueQueues, VllmDashboard, VllmService } from '../../lib/pulumi';
import { EXAMPLE_DRA_CHART, EXAMPLE_DRA_CLAIM, EXAMPLE_DRA_OPERATOR, EXAMPLE_DRA_SERVICE, EXAMPLE_KUEUE_CHART, EXAMPLE_KUEUE_GROUP_SERVICE, EXAMPLE_KUEUE_QUEUES, EXAMPLE_KUEUE_SERVICE } from '../dra-kueue';
import { EXAMPLE_GATEWAY_CHART, EXAMPLE_GATEWAY_SERVICES, exampleGatewayProps } from '../gateway';
import { EXAMPLE_ETCD, EXAMPLE_ETCD_DASHBOARDS } from '../etcd';
import { EXAMPLE_GPU_DASHBOARDS, EXAMPLE_OPERATORS, EXAMPLE_POOL_SERVICES, EXAMPLE_POOLS } from '../gpu-pools';
import { EXAMPLE_SERVICES } from '../services';

/**
 * The Pulumi twin of the cdk8s app: the same services, pools and operator stacks as Pulumi components (the
 * operator as a Helm release instead of a GitOps object). With a stack selected, `pulumi up` in this folder
 * creates them; the tests run it under Pulumi's mocks and compare it with the cdk8s output.
 */
export const services = Object.fromEntries(
  Object.entries(EXAMPLE_SERVICES).map(([name, options]) => [name, new VllmService(name, options)]),
);

export const pools = Object.fromEntries(Object.entries(EXAMPLE_POOLS).map(([name, options]) => [name, new GpuNodePool(name, options)]));

export const poolServices = Object.fromEntries(
  EXAMPLE_POOL_SERVICES.map((s) => [s.service.name, new VllmService(s.service.name, { ...s.service, placement: pools[s.pool].slice(s.profile) })]),
);

export const operators = Object.fromEntries(
  Object.entries(EXAMPLE_OPERATORS).map(([name, { pools: names, delivery: _delivery, ...options }]) => [name, new GpuOperatorStack(name, { ...options, pools: names.map((n) => pools[n]) })]), // eslint-disable-line @typescript-eslint/no-unused-vars
);

export const etcdClusters = Object.fromEntries(Object.entries(EXAMPLE_ETCD).map(([name, options]) => [name, new ExternalEtcdCluster(name, options)]));

/** The GPU pools dashboard of the EKS stack and the etcd dashboard of the Kubernetes-hosted cluster, under their chart's name. */
export const gpuDashboards = Object.fromEntries(EXAMPLE_GPU_DASHBOARDS.map((name) => [name, new GpuDashboard(name, { stack: operators[name] })]));
export const etcdDashboards = Object.fromEntries(EXAMPLE_ETCD_DASHBOARDS.map((name) => [name, new EtcdDashboard(name, { cluster: etcdClusters[name] })]));

/** The kubeadm ClusterConfiguration of every etcd cluster. */
export const kubeadmConfigs = Object.fromEntries(Object.entries(etcdClusters).map(([name, etcd]) => [name, etcd.kubeadmConfig]));

/** The in-cluster API URL of every service. */
export const urls = Object.fromEntries(
  [...Object.entries(services), ...Object.entries(poolServices)].map(([name, svc]) => [name, svc.url]),
);

/** Two models behind one Gateway, with a canary: the services, then the gateway that routes to them. */
export const gatewayServices = Object.fromEntries(
  Object.entries(EXAMPLE_GATEWAY_SERVICES).map(([key, options]) => [key, new VllmService(`${EXAMPLE_GATEWAY_CHART}-${options.name}`, options)]),
);
export const gateway = new InferenceGateway(EXAMPLE_GATEWAY_CHART, exampleGatewayProps(gatewayServices));

/** A Grafana dashboard per gateway service (ConfigMaps for the kube-prometheus-stack sidecar). */
export const dashboards = Object.fromEntries(
  Object.entries(gatewayServices).map(([key, service]) => [key, new VllmDashboard(`${EXAMPLE_GATEWAY_CHART}-${service.resolved.name}-dashboard`, { service })]),
);

/** GPUs through DRA: the operator with the NVIDIA DRA driver (a second Helm release), and a service on a claim. */
const { delivery: _draDelivery, ...draOperatorArgs } = EXAMPLE_DRA_OPERATOR; // eslint-disable-line @typescript-eslint/no-unused-vars
// The values file under the chart's name, as the cdk8s app writes it (`<chart>.values.yaml`).
export const draOperator = new GpuOperatorStack(`${EXAMPLE_DRA_CHART}-operator`, { ...draOperatorArgs, sideFiles: { valuesFile: `${EXAMPLE_DRA_CHART}.values.yaml` } });
export const draService = new VllmService(EXAMPLE_DRA_CHART, { ...EXAMPLE_DRA_SERVICE, placement: draGpuClaim({ ...EXAMPLE_DRA_CLAIM, driver: draOperator.render }) });

/** A Kueue-admitted service: the queues, then the service on the LocalQueue. */
export const kueueQueues = new KueueQueues(`${EXAMPLE_KUEUE_CHART}-queues`, EXAMPLE_KUEUE_QUEUES);
export const kueueService = new VllmService(EXAMPLE_KUEUE_CHART, { ...EXAMPLE_KUEUE_SERVICE, queue: kueueQueues.localQueue('inference') });
export const kueueGroupService = new VllmService(`${EXAMPLE_KUEUE_CHART}-group`, { ...EXAMPLE_KUEUE_GROUP_SERVICE, queue: kueueQueues.localQueue('inference') });
