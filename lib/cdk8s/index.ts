export * from './vllm-service';
export * from './gpu-node-pool';
