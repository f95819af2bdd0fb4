export * from './vllm-service';
export * from './gpu-node-pool';
export * from './gpu-operator-stack';
