export * from './vllm-service';
