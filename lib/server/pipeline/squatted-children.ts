import type { Decision } from '@/lib/domain/pipeline/decision';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import type { PipelineUnit } from './ports';

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
