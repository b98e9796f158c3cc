import { taskRunCondition } from '@/lib/domain/pipeline/succeeded-condition';
import type { TTaskRunStatus } from '@/lib/domain/pipeline/stored-schemas';

/** Leases: the claim, renewal, completion and reaping statements are the TaskRunStore's (lib/adapters/db/task-run-store.ts). */
export const DEFAULT_LEASE_MS = 30_000;

/** The columns of a TaskRun that `owner` holds from `now` on. */
export function claimedFields(owner: string, leaseMs: number, now: Date) {
  return {
    state: 'running' as const,
    leaseOwner: owner,
    leaseExpiresAt: new Date(now.getTime() + leaseMs),
    startedAt: now,
  };
}

/** Tekton reports a claimed TaskRun as Running from here on: the status fields that say so. */
export function runningStatus(now: Date): Pick<TTaskRunStatus, 'conditions' | 'startTime'> {
  return {
    conditions: [taskRunCondition('running', 'Running', 'Running', now)],
    startTime: now.toISOString(),
  };
}
