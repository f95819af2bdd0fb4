import { dnsSubdomain } from '../options/formats';
import { num, obj, oneOf, opt, posInt, Schema, str } from '../options/schema';

/** The fabric between the nodes of one multi-node replica. */
export type Interconnect = 'ethernet' | 'infiniband' | 'roce';

/** RDMA devices each rank requests from a device plugin (the Mellanox/NVIDIA network operator's, SR-IOV, ...). */
export interface RdmaResource {
  /** The extended resource the device plugin advertises, e.g. `rdma/ib`, `rdma/rdma_shared_device_a`, `nvidia.com/hostdev`. */
  readonly resourceName: string;
  /** Devices per rank. @default 1 - one HCA (or shared-device slot) per pod */
  readonly count?: number;
}

/**
 * How the ranks of one replica talk when the replica spans nodes (tensorParallelSize x pipelineParallelSize above
 * the GPUs of one node). Only valid when VllmService renders a LeaderWorkerSet.
 */
export interface MultiNodeOptions {
  /**
   * The network between the nodes. `ethernet`: NCCL over TCP sockets, fine for pipeline stages (activations of one
   * layer boundary per step) but far too slow for tensor parallelism, whose all-reduces run twice per layer.
   * `infiniband` / `roce`: an RDMA fabric (GPUDirect RDMA); only then may tensorParallelSize exceed gpusPerNode.
   * @default 'ethernet' - what every cluster has; claiming RDMA that is not there makes a slow server, not a fast one
   */
  readonly interconnect?: Interconnect;
  /**
   * `NCCL_SOCKET_IFNAME` (and `GLOO_SOCKET_IFNAME`): the interface NCCL's bootstrap and socket transport use,
   * e.g. `eth0`, or `=eth0` for exactly that name.
   * @default - NCCL picks the first interface that is not loopback or docker (in a pod: the pod network)
   */
  readonly socketInterface?: string;
  /**
   * `NCCL_IB_HCA`: the HCAs NCCL uses, e.g. `mlx5_0,mlx5_1` or `=mlx5_0`. Only with an RDMA interconnect.
   * @default - NCCL uses every HCA it finds
   */
  readonly ibHca?: string;
  /** `NCCL_IB_GID_INDEX`, needed on most RoCE fabrics (often 3 for RoCE v2). @default - NCCL's own choice (0 before NCCL 2.21) */
  readonly ibGidIndex?: number;
  /**
   * RDMA devices added to every rank's requests and limits, and the `IPC_LOCK` capability GPUDirect RDMA needs to pin
   * memory (vLLM `docs/serving/parallelism_scaling.md`). Only with an RDMA interconnect.
   * @default - none: NCCL sees no HCA inside the pod and falls back to TCP sockets
   */
  readonly rdma?: RdmaResource;
  /** `--master-port` of vLLM's multi-node launch (ignored by the Ray launch). @default 29501 - vLLM's default */
  readonly masterPort?: number;
}

const IFNAME = /^[=^]?[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*$/;
const HCA = /^[=^]?[A-Za-z0-9_]+(:\d+)?(,[A-Za-z0-9_]+(:\d+)?)*$/;

/** An extended resource name: `<domain>/<name>` (Kubernetes `IsExtendedResourceName`, outside kubernetes.io). */
function resourceNameProblem(s: string): string | undefined {
  const [domain, name, extra] = s.split('/');
  if (extra !== undefined || name === undefined) return 'must be <domain>/<name>, e.g. "rdma/ib"';
  if (dnsSubdomain().check(domain, 'x', []) === false) return 'must start with a DNS subdomain, e.g. "rdma" or "nvidia.com"';
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(name)) return 'must end with a name of letters, digits, "-", "_" and "."';
  if (domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io')) return 'must not be in the kubernetes.io domain (those are not extended resources)';
  return undefined;
}

const RDMA = obj<RdmaResource>({
  resourceName: str({ expected: 'an extended resource name', test: resourceNameProblem, fix: 'use the name the RDMA device plugin advertises, e.g. "rdma/ib"' }),
  count: opt(posInt('use 1')),
});

export const MULTI_NODE_OPTIONS: Schema<MultiNodeOptions> = obj<MultiNodeOptions>({
  interconnect: opt(oneOf(['ethernet', 'infiniband', 'roce'], "use 'infiniband' or 'roce' only where the nodes have an RDMA fabric")),
  socketInterface: opt(str({ expected: 'a network interface name', test: (s) => (IFNAME.test(s) ? undefined : 'must be interface names (or prefixes) separated by commas'), fix: 'e.g. "eth0"' })),
  ibHca: opt(str({ expected: 'an HCA list', test: (s) => (HCA.test(s) ? undefined : 'must be HCA names (optionally :port) separated by commas'), fix: 'e.g. "mlx5_0,mlx5_1"' })),
  ibGidIndex: opt(num({ integer: true, min: 0, max: 255, fix: 'use 3 for RoCE v2 on most fabrics' })),
  rdma: opt(RDMA),
  masterPort: opt(num({ integer: true, min: 1024, max: 65535, fix: 'omit it for 29501' })),
});
