import { rerunFromFailed, type EarlierTaskRun } from '@/lib/domain/pipeline/rerun-from-failed';
import {
  ZPipelineRunStatus,
  ZStoredPlan,
  ZTaskRunStatus,
  type TFrozenRunSpec,
  type TStoredPlan,
} from '@/lib/domain/pipeline/stored-schemas';
import { AppError } from '@/lib/errors';
import type { PipelineRecords, PipelineRunRow } from './ports';

const stepImages = (plan: TStoredPlan): Record<string, string> =>
  Object.fromEntries(plan.steps.flatMap((s) => (s.image ? [[s.name, s.image]] : [])));

/**
 * The frozen spec of a rerun from failed of `row`: the earlier run's own pipeline and task specs (not the newest
 * versions: a reused result must come from the spec the new run runs), its params and workspaces, and the TaskRuns
 * it reuses. 409 when the earlier run has not finished or nothing in it failed.
 */
export async function planRerunFromFailed(
  stores: Pick<PipelineRecords, 'taskRuns'>,
  row: PipelineRunRow,
  frozen: TFrozenRunSpec,
): Promise<TFrozenRunSpec> {
  const own = await stores.taskRuns.ofPipelineRun(row.id);
  const taskRuns: EarlierTaskRun[] = [
    // What the earlier run had itself reused counts as succeeded there, and keeps naming the run that ran it.
    ...(frozen.rerun?.reused ?? []).map((r) => ({ ...r, name: r.taskRunName, state: 'succeeded' as const })),
    ...own.flatMap((t) =>
      t.pipelineTask === null
        ? []
        : [
            {
              task: t.pipelineTask,
              name: t.name,
              matrixIndex: t.matrixIndex ?? undefined,
              state: t.state,
              attempt: t.attempt,
              status: ZTaskRunStatus.parse(t.status),
              fromRun: row.name,
              images: stepImages(ZStoredPlan.parse(t.plan)),
            },
          ],
    ),
  ];
  const plan = rerunFromFailed({
    name: row.name,
    conditionStatus: row.conditionStatus,
    spec: frozen.pipelineSpec,
    taskRuns,
    skipped: (ZPipelineRunStatus.parse(row.status).skippedTasks ?? []).map((s) => s.name),
  });
  if (!plan.ok)
    throw new AppError('CONFLICT', plan.message, {
      hint:
        plan.reason === 'NothingFailed'
          ? `Start a plain rerun: keelson pipelinerun rerun ${row.name}`
          : `Cancel it with keelson pipelinerun cancel ${row.name}, or wait for it to finish.`,
    });
  // A fresh top-level run: not a child of the earlier run's parent, nor cancelled by its concurrency group.
  return {
    run: { ...frozen.run, status: undefined },
    pipelineSpec: frozen.pipelineSpec,
    taskSpecs: frozen.taskSpecs,
    rerun: { of: row.name, fromFailed: true, reused: plan.reused },
  };
}
