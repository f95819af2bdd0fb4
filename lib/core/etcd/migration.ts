import { ProblemCollector, refuse } from '../errors';
import { dnsLabel } from '../options/formats';
import { arr, problemsOf } from '../options/schema';
import { quorumOf } from './options';

const MEMBER_NAMES = arr(dnsLabel(63, 'use the etcd member names'), { unique: true });

/** One step of the stacked-to-external etcd migration. */
export interface MigrationStep {
  readonly action: 'snapshot' | 'add-learner' | 'promote' | 'repoint-api-servers' | 'remove-stacked';
  readonly member?: string;
  readonly description: string;
  /** Voting members after the step. */
  readonly members: number;
  readonly quorum: number;
  /** Members that are up and voting after the step (during the step, the member being added may be catching up). */
  readonly healthyVoters: number;
}

/**
 * Stacked-to-external migration: a verified snapshot first, then each external member added as a learner and promoted
 * once caught up, the API servers repointed, and the stacked members removed one at a time, health checked after
 * every step. Quorum is recomputed at every step; a plan
 * that would drop below a majority of healthy voters is refused.
 */
export function planStackedToExternal(stacked: readonly string[], external: readonly string[], unhealthyStacked: readonly string[] = []): MigrationStep[] {
  const subject = 'planStackedToExternal';
  const p = new ProblemCollector();
  const names = (field: string, list: unknown) => p.addAll(problemsOf(MEMBER_NAMES, list, field));
  names('stacked', stacked);
  names('external', external);
  names('unhealthyStacked', unhealthyStacked);
  p.throwIfAny(subject);
  p.check(stacked.length > 0, { field: 'stacked', message: 'must list the current stacked members', value: stacked, fix: 'name every member of the stacked cluster' });
  p.check(external.length > 0, { field: 'external', message: 'must list the new external members', value: external, fix: 'name the external members, e.g. 3 of them' });
  p.check(external.length === 0 || external.length % 2 === 1, {
    field: 'external', message: `must be an odd number of members: ${external.length} members need ${quorumOf(external.length)} for quorum and tolerate no more failures than ${external.length - 1}`,
    value: external.length, fix: `use ${external.length - 1} or ${external.length + 1}`,
  });
  for (const m of unhealthyStacked) p.check(stacked.includes(m), { field: 'unhealthyStacked', message: 'names a member that is not in stacked', value: m, allowed: stacked.join(', '), fix: 'name members of the stacked cluster' });
  for (const m of external) p.check(!stacked.includes(m), { field: 'external', message: 'reuses the name of a stacked member; etcd member names must be unique while both run', value: m, fix: 'give the external members names of their own' });
  p.throwIfAny(subject);
  const steps: MigrationStep[] = [];
  let voters = stacked.length;
  let healthy = stacked.length - unhealthyStacked.length;
  const check = (step: Omit<MigrationStep, 'quorum'>) => {
    const quorum = quorumOf(step.members);
    if (step.healthyVoters < quorum) {
      refuse(subject, {
        field: 'unhealthyStacked', message: `leaves step "${step.description}" with ${step.healthyVoters} healthy of ${step.members} voting members, below the quorum of ${quorum}: the cluster would stop accepting writes`,
        value: unhealthyStacked, fix: 'repair or remove the unhealthy stacked members first (remove, then add), so every step keeps a majority',
      });
    }
    steps.push({ ...step, quorum });
  };
  if (healthy < quorumOf(voters)) check({ action: 'snapshot', description: 'start (the stacked cluster has already lost quorum)', members: voters, healthyVoters: healthy });
  const verify = 'then check etcdctl endpoint health --cluster and endpoint status before the next step';
  check({
    action: 'snapshot', description: `snapshot the stacked cluster (etcdctl snapshot save), verify it (etcdutl snapshot status) and restore it once into a scratch data dir, so a tested way back exists before anything changes; ${verify}`,
    members: voters, healthyVoters: healthy,
  });
  for (const m of external) {
    // A learner neither votes nor counts toward the quorum while it catches up (etcd 3.4+), so adding one is safe.
    check({ action: 'add-learner', member: m, description: `add external member ${m} as a learner (etcdctl member add ${m} --learner --peer-urls=...), start it with --initial-cluster-state existing; ${verify}`, members: voters, healthyVoters: healthy });
    voters += 1;
    healthy += 1;
    check({ action: 'promote', member: m, description: `promote ${m} to a voter once its log has caught up (etcdctl member promote; etcd refuses while it lags); ${verify}`, members: voters, healthyVoters: healthy });
  }
  steps.push({ action: 'repoint-api-servers', description: `point every API server at the external members (${external.join(', ')}) and restart them one at a time; ${verify}`, members: voters, quorum: quorumOf(voters), healthyVoters: healthy });
  // Remove unhealthy stacked members first: removing a healthy one while a dead one still votes is how quorum is lost.
  const order = [...unhealthyStacked, ...stacked.filter((s) => !unhealthyStacked.includes(s))];
  for (const m of order) {
    voters -= 1;
    if (!unhealthyStacked.includes(m)) healthy -= 1;
    check({ action: 'remove-stacked', member: m, description: `remove stacked member ${m} (etcdctl member remove, then stop it and delete its data dir); ${verify}`, members: voters, healthyVoters: healthy });
  }
  return steps;
}
