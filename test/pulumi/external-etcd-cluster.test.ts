import type * as pulumiTypes from '@pulumi/pulumi';
import { parse } from 'yaml';
import { promiseOf, recordResources, settle } from '../helpers/pulumi-mocks';
import { renderEtcdKubernetes } from '../../lib/core/etcd/kubernetes';
import { objectId } from '../../lib/core/object-ids';

const recorded = recordResources();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ExternalEtcdCluster } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

describe('ExternalEtcdCluster (Pulumi)', () => {
  test('Kubernetes-hosted: the same objects as the core renders, and the kubeadm configuration as an output', async () => {
    const kubernetes = { storageClassName: 'gp3-iops', toolsImage: 'registry.example.com/etcd-tools:3.5.21' };
    const etcd = new ExternalEtcdCluster('etcd-main', { kubernetes, kubeadm: { apiVersion: 'v1beta3' } });
    await settle(Object.values(etcd.resources) as pulumiTypes.Resource[]);
    const expected = renderEtcdKubernetes({ name: 'etcd-main', kubernetes }).objects;
    for (const obj of expected) expect(recorded.find((r) => r.name === `etcd-main-${objectId('etcd-main', obj).toLowerCase()}`)?.inputs).toEqual(obj);
    expect(recorded.find((r) => r.name === 'etcd-main')?.type).toBe('gpuplane:index:ExternalEtcdCluster');
    const kubeadm = parse(await promiseOf(etcd.kubeadmConfig));
    expect(kubeadm.apiVersion).toBe('kubeadm.k8s.io/v1beta3');
    expect(kubeadm.etcd.external.endpoints).toHaveLength(3);
    // The restore procedure is exposed, its Jobs never created (a restore is run, not deployed).
    expect(etcd.restore!.jobs.map((j) => j.metadata.name)).toEqual(['etcd-main-restore-0', 'etcd-main-restore-1', 'etcd-main-restore-2', 'etcd-main-restore-verify']);
    expect(recorded.filter((r) => r.type === 'kubernetes:batch/v1:Job')).toEqual([]);
  });

  test('hosts mode: member files for the provisioning program, no resources', async () => {
    const etcd = new ExternalEtcdCluster('etcd-hosts', { hosts: [1, 2, 3].map((i) => ({ name: `etcd-${i}`, address: `10.0.3.${i}` })) });
    expect(Object.keys(etcd.resources)).toEqual([]);
    expect(etcd.hostFiles!.members[0].command[0]).toBe('/usr/local/bin/etcd');
    expect(parse(await promiseOf(etcd.kubeadmConfig)).etcd.external.endpoints).toEqual(['https://10.0.3.1:2379', 'https://10.0.3.2:2379', 'https://10.0.3.3:2379']);
    expect(etcd.sideFiles[0]).toEqual({ path: 'etcd-hosts.kubeadm.yaml', content: await promiseOf(etcd.kubeadmConfig) });
    expect(etcd.sideFiles.map((f) => f.path)).toContain('etcd-hosts/etcd-2/etcd.service');
  });

  test('sideFiles renames or leaves out the side files; a wrong one fails before any resource', () => {
    const hosts = [1, 2, 3].map((i) => ({ name: `etcd-${i}`, address: `10.0.4.${i}` }));
    expect(new ExternalEtcdCluster('etcd-off', { hosts, sideFiles: false }).sideFiles).toEqual([]);
    const renamed = new ExternalEtcdCluster('etcd-renamed', { hosts, sideFiles: { kubeadmFile: 'cp/kubeadm.yaml', hostsDirectory: 'hosts' } });
    expect(renamed.sideFiles.map((f) => f.path).slice(0, 2)).toEqual(['cp/kubeadm.yaml', 'hosts/etcd-1/etcd.env']);
    expect(() => new ExternalEtcdCluster('etcd-bad', { hosts, sideFiles: { kubeadmFile: '/etc/kubeadm.yaml' } })).toThrow("'sideFiles.kubeadmFile' must be relative to the output directory");
    expect(recorded.find((r) => r.name === 'etcd-bad')).toBeUndefined();
  });
});
