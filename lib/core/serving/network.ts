import { KubeObject } from '../kube';
import { metadata, selectorLabels, serviceHost } from './labels';
import type { ServingSpec } from './spec';

const nsSelector = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });

/** Ingress on the serving port from allowed callers and the scraper; egress to DNS, and to the hub only when downloading. */
export function renderNetworkPolicy(r: ServingSpec): KubeObject[] {
  if (!r.networkPolicy.enabled) return [];
  const np = r.networkPolicy;
  const port = [{ port: r.engine.port, protocol: 'TCP' }];
  const podSelector = np.allowedPodLabels ? { matchLabels: np.allowedPodLabels } : {};
  const callers = np.allowedNamespaces
    ? np.allowedNamespaces.map((ns) => ({ namespaceSelector: nsSelector(ns), podSelector: np.allowedPodLabels ? podSelector : undefined }))
    : [{ podSelector }];
  const egress: Record<string, unknown>[] = [
    {
      to: [{ namespaceSelector: nsSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    },
  ];
  if (r.downloadModel) {
    egress.push({
      // The model hub is outside the cluster: HTTPS to public addresses only.
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }],
      ports: [{ port: 443, protocol: 'TCP' }],
    });
  }
  // The ranks of a multi-node group talk on ports chosen at run time (Ray's 6379 and worker ports, the torch
  // rendezvous, NCCL's sockets): any port between the pods of this service, and nothing else.
  const group = (r.podsPerReplica ?? 1) > 1 ? [{ from: [{ podSelector: { matchLabels: selectorLabels(r) } }] }] : [];
  if (group.length > 0) egress.push({ to: [{ podSelector: { matchLabels: selectorLabels(r) } }] });
  if (r.istio?.mode === 'tuned') {
    egress.push({ to: [{ namespaceSelector: nsSelector('istio-system') }], ports: [{ port: 15012, protocol: 'TCP' }] });
  }
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(r, r.name),
      spec: {
        podSelector: { matchLabels: selectorLabels(r) },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: callers, ports: port },
          { from: [{ namespaceSelector: nsSelector(np.metricsScraperNamespace) }], ports: port },
          ...group,
        ],
        egress,
      },
    },
  ];
}

/** Istio tuned for streaming inference: long route timeout, connection pools sized for GPUs rather than microservices. */
export function renderIstio(r: ServingSpec): KubeObject[] {
  if (r.istio?.mode !== 'tuned') return [];
  const host = serviceHost(r);
  return [
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: metadata(r, r.name),
      spec: {
        hosts: [host],
        http: [{ route: [{ destination: { host, port: { number: r.engine.port } } }], timeout: r.istio.timeout }],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: metadata(r, r.name),
      spec: {
        host,
        trafficPolicy: {
          connectionPool: { tcp: { maxConnections: 1000 }, http: { http1MaxPendingRequests: 10000, http2MaxRequests: 10000 } },
        },
      },
    },
  ];
}
