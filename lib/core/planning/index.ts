export * from './types';
export { planGpuFleet } from './plan';
export { WHOLE_GPU_UTILIZATION, MIG_UTILIZATION, DEFAULT_SHARED_MEMORY_CAP } from './sizing';
export { fleetTable, fleetSvg } from './report';
export * from './services';
