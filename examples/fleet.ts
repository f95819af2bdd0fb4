import type { FleetRequest } from '../lib/core/planning/types';

/**
 * A mixed inference fleet planned on H100s and L40S: six replicas of an 8B chat model, a 70B on whole GPUs,
 * embeddings that may share a GPU by time-slicing, and a 14B code model. Prices are per GPU-hour (on-demand
 * neocloud list prices in 2025 were about 3 for an H100 SXM and 1.9 for an L40S). Chart name -> request.
 */
export const EXAMPLE_FLEETS: Record<string, FleetRequest> = {
  'gpu-fleet': {
    name: 'fleet',
    workloads: [
      { name: 'chat', model: 'llama-3.1-8b', maxModelLen: 8192, concurrency: 8, replicas: 6, isolation: 'mig' },
      { name: 'reasoning', model: 'llama-3.1-70b', maxModelLen: 8192, concurrency: 8, replicas: 1, isolation: 'whole' },
      { name: 'embed', memoryGiB: 6, replicas: 4, isolation: 'shared' },
      { name: 'code', model: 'qwen2.5-14b', maxModelLen: 16384, concurrency: 2, replicas: 2, isolation: 'mig' },
    ],
    gpus: [
      { gpu: 'H100-80GB', gpusPerNode: 8, hourlyPrice: 3.0 },
      { gpu: 'L40S', gpusPerNode: 4, hourlyPrice: 1.9 },
    ],
    objective: 'cost',
  },
};

/** Extra options of the fleet's services: they run in their own namespace. */
export const EXAMPLE_FLEET_SERVICES = { namespace: 'inference' } as const;
