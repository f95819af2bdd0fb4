import { quorumOf } from './options';

export interface MigrationStep {
  readonly action: 'add-external' | 'repoint-api-servers' | 'remove-stacked';
  readonly member?: string;
  readonly description: string;
  /** Voting members after the step. */
  readonly members: number;
  readonly quorum: number;
  /** Members that are up and voting after the step (during the step, the member being added may be catching up). */
  readonly healthyVoters: number;
}

/**
 * Stacked-to-external migration: add the external members one at a time (each joins as a new voter and catches up),
 * repoint the API servers, then remove the stacked members one at a time. Quorum is recomputed at every step; a plan
 * that would drop below a majority of healthy voters is refused.
 */
export function planStackedToExternal(stacked: readonly string[], external: readonly string[], unhealthyStacked: readonly string[] = []): MigrationStep[] {
  if (stacked.length === 0 || external.length === 0) {
    throw new Error(`'stacked' and 'external' must both list members (got ${stacked.length} and ${external.length}). Fix: name the current stacked members and the new external ones.`);
  }
  if (external.length % 2 === 0) {
    throw new Error(`'external' must be an odd number of members (got ${external.length}): ${external.length} members need ${quorumOf(external.length)} for quorum and tolerate no more failures than ${external.length - 1}. Fix: use ${external.length - 1} or ${external.length + 1}.`);
  }
  const steps: MigrationStep[] = [];
  let voters = stacked.length;
  let healthy = stacked.length - unhealthyStacked.length;
  const check = (step: Omit<MigrationStep, 'quorum'>) => {
    const quorum = quorumOf(step.members);
    if (step.healthyVoters < quorum) {
      throw new Error(
        `step "${step.description}" leaves ${step.healthyVoters} healthy of ${step.members} voting members, below the quorum of ${quorum}: the cluster would stop accepting writes. ` +
          'Fix: repair or remove the unhealthy stacked members first (remove, then add), so every step keeps a majority.',
      );
    }
    steps.push({ ...step, quorum });
  };
  if (healthy < quorumOf(voters)) check({ action: 'add-external', description: 'start (the stacked cluster has already lost quorum)', members: voters, healthyVoters: healthy });
  for (const m of external) {
    voters += 1;
    // While the new member catches up it counts toward the quorum but cannot vote yet.
    check({ action: 'add-external', member: m, description: `add external member ${m} (etcdctl member add, start it with --initial-cluster-state existing)`, members: voters, healthyVoters: healthy });
    healthy += 1;
  }
  steps.push({ action: 'repoint-api-servers', description: `point every API server at the external members (${external.join(', ')}) and restart them one at a time`, members: voters, quorum: quorumOf(voters), healthyVoters: healthy });
  // Remove unhealthy stacked members first: removing a healthy one while a dead one still votes is how quorum is lost.
  const order = [...unhealthyStacked, ...stacked.filter((s) => !unhealthyStacked.includes(s))];
  for (const m of order) {
    voters -= 1;
    if (!unhealthyStacked.includes(m)) healthy -= 1;
    check({ action: 'remove-stacked', member: m, description: `remove stacked member ${m} (etcdctl member remove, then stop it and delete its data dir)`, members: voters, healthyVoters: healthy });
  }
  return steps;
}
