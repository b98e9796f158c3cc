import type { Decision } from '@/lib/domain/pipeline/decision';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import { ZFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import type { PipelineRecords, PipelineUnit } from './ports';

/**
 * The names of children this reconcile meant to create that a TaskRun outside the PipelineRun holds (a standalone
 * TaskRun created as `<run>-<task>` before the run got there): such a child can never be stored, and waiting for
 * it would hold the run forever. A name held by this run's own row (a concurrent reconcile) is not squatted.
 */
export async function squattedChildren(
  tx: PipelineUnit,
  runId: string,
  planned: readonly { taskRunName: string }[],
  stored: readonly { name: string }[],
): Promise<string[]> {
  const made = new Set(stored.map((r) => r.name));
  const out: string[] = [];
  for (const { taskRunName: name } of planned) {
    if (made.has(name)) continue;
    const row = await tx.taskRuns.findByName(name);
    if (row && row.pipelineRunId !== runId) out.push(name);
  }
  return out;
}

/** Ends the run as Failed, naming the children it could not create (see squattedChildren). */
export function failForSquatted(decision: Decision, squatted: readonly string[]): void {
  if (squatted.length === 0) return;
  const message = `TaskRun name${squatted.length > 1 ? 's' : ''} ${squatted.map((n) => `"${n}"`).join(', ')} already taken by a TaskRun outside this PipelineRun; start it again (it gets a new name)`;
  decision.condition = { status: 'False', reason: PipelineRunReason.Failed, message };
  decision.finish = { ...decision.condition, results: [] };
}

/**
 * The PipelineRun one of whose TaskRuns is (or will be) named `name`: `<run>-<task>`, or `<run>-<task>-<i>` for a
 * matrix, for a task of its frozen spec. A standalone TaskRun of that name is refused (create-task-run.ts).
 */
export async function pipelineRunOwningName(runs: PipelineRecords['runs'], name: string): Promise<string | undefined> {
  const parts = name.split('-');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('-');
    const run = await runs.findByName(prefix);
    if (!run) continue;
    const frozen = ZFrozenRunSpec.safeParse(run.spec);
    if (!frozen.success) return prefix;
    const rest = name.slice(prefix.length + 1);
    const tasks = [...frozen.data.pipelineSpec.tasks, ...(frozen.data.pipelineSpec.finally ?? [])];
    const child = (task: string) =>
      rest === task || (rest.startsWith(`${task}-`) && /^\d+$/.test(rest.slice(task.length + 1)));
    if (tasks.some((t) => child(t.name))) return prefix;
  }
  return undefined;
}
