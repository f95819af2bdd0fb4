import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ExternalEtcdCluster } from '../../lib/cdk8s';
import { kubeadmClusterConfigurationYaml } from '../../lib/core/etcd/kubeadm';
import { validateObjects } from '../../lib/core/validate';

describe('ExternalEtcdCluster (cdk8s)', () => {
  test('Kubernetes-hosted (snapshot) and its kubeadm configuration', () => {
    const chart = Testing.chart();
    const etcd = new ExternalEtcdCluster(chart, 'EtcdMain', { kubernetes: { storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' } });
    const manifests = Testing.synth(chart);
    expect(manifests).toMatchSnapshot();
    expect(validateObjects(manifests)).toEqual([]);
    expect(parse(etcd.kubeadmConfigYaml()).etcd.external.endpoints).toEqual(etcd.endpoints);
    // The Kubernetes-mode restore, like hostFiles.scripts.restore in hosts mode; its Jobs stay out of the chart.
    expect(etcd.restore!.steps[0].action).toBe('stop-api-servers');
    expect(manifests.filter((m) => m.kind === 'Job')).toEqual([]);
  });

  test('hosts mode renders no objects but every host file', () => {
    const chart = Testing.chart();
    const etcd = new ExternalEtcdCluster(chart, 'Etcd', { hosts: [1, 2, 3, 4, 5].map((i) => ({ name: `etcd-${i}`, address: `10.0.2.${i}` })) });
    expect(Testing.synth(chart)).toEqual([]);
    expect(etcd.hostFiles!.members).toHaveLength(5);
    expect(etcd.resolved.faultTolerance).toBe(2);
    expect(etcd.scrapeConfig).toMatchObject({ job_name: 'etcd' });
    expect(etcd.restore).toBeUndefined();
  });

  test('fromEndpoints is accepted wherever a cluster is', () => {
    const managed = ExternalEtcdCluster.fromEndpoints(['https://10.1.0.5:2379']);
    expect(parse(kubeadmClusterConfigurationYaml(managed)).etcd.external.endpoints).toEqual(['https://10.1.0.5:2379']);
  });
});
