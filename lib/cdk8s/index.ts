export * from './vllm-service';
export * from './gpu-node-pool';
export * from './gpu-operator-stack';
export * from './external-etcd-cluster';
export * from './rendered';
export * from './warnings';
export * from './gpu-fleet';
export * from './inference-gateway';
