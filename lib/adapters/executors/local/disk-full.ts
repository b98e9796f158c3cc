import { rm, statfs } from 'node:fs/promises';
import path from 'node:path';
import { TaskRunReason } from '@/lib/domain/pipeline/reasons';
import type { ExecutionHooks, TaskRunOutcome, TaskRunPlan } from '@/lib/domain/pipeline/task-run-plan';
import { sandboxFailure } from './sandbox-policy';

const DISK_FULL_REASON = TaskRunReason.DiskFull;

/** Below this much free space after a failed TaskRun, its failure is put down to the full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

type Run = (plan: TaskRunPlan, workDir: string, hooks: ExecutionHooks) => Promise<TaskRunOutcome>;

const isDiskFull = (error: unknown) =>
  error instanceof Error && ['ENOSPC', 'EDQUOT'].includes((error as NodeJS.ErrnoException).code ?? '');

async function nearlyFull(dir: string): Promise<boolean> {
  const s = await statfs(dir).catch(() => undefined);
  return s !== undefined && s.bavail * s.bsize < NEARLY_FULL_BYTES;
}

export const diskFullMessage = (workDir: string) =>
  `no space left on device in the run folder ${workDir}; free space on the worker, or keep fewer run folders ` +
  '(lower KEELSON_KEEP_TASKRUN_FOLDERS_MINUTES, set KEELSON_RUN_RETENTION)';

/**
 * `run` where a full disk fails only the TaskRun it hit, with reason TaskRunDiskFull: the executor's own writes to the
 * run folder (folders, scripts, workspaces) failing with ENOSPC/EDQUOT, or a failed step leaving the run folder's disk
 * (nearly) full. The TaskRun's folder is removed at once (its results and logs are stored by then), so that the
 * runs after it have room again; the worker goes on. `log` tells the operator the worker's own path.
 */
export function failingOnFullDisk(run: Run, log: (line: string) => void): Run {
  return async (plan, workDir, hooks) => {
    let outcome: TaskRunOutcome | undefined;
    try {
      outcome = await run(plan, workDir, hooks);
      if (outcome.status !== 'Failed' || outcome.reason.startsWith('TaskRun')) return outcome;
      if (!(await nearlyFull(path.dirname(workDir)))) return outcome;
    } catch (error) {
      if (!isDiskFull(error)) throw error;
    }
    await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    log(`[executor] TaskRun ${plan.taskRunName}: no space left on device in ${workDir}; its folder was removed`);
    const message = diskFullMessage(workDir);
    return outcome
      ? { ...outcome, reason: DISK_FULL_REASON, message }
      : { ...sandboxFailure(plan, message, 'none'), reason: DISK_FULL_REASON };
  };
}
