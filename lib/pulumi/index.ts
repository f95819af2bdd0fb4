export * from '../core';
export * from './resources';
export * from './vllm-service';
export * from './gpu-node-pool';
export * from './gpu-operator-stack';
export * from './external-etcd-cluster';
export * from './warnings';
export * from './gpu-fleet';
