import type { Decision } from '@/lib/domain/pipeline/decision';
import { generatedName } from './generated-name';
import type { PipelineUnit } from './ports';
import type { TaskRunSummary } from './task-run-state';

/** A TaskRun's name is a DNS-1123 label (it becomes a folder's name): at most 63 characters, the suffix taking 6. */
const MAX_NAME = 63;
const TRIES = 5;

const key = (task: string | null, matrixIndex: number | null | undefined) => `${task ?? ''}\u0000${matrixIndex ?? ''}`;

/**
 * The names of the TaskRuns a decision creates or retries, in place. A new TaskRun is `<run>-<task>` (or
 * `<run>-<task>-<i>` for a matrix), as upstream names it; when a TaskRun outside this run already holds that name (a
 * standalone TaskRun created before the run, maybe of another project: names are unique across projects) it gets a
 * random suffix instead (`<run>-<task>-x7k2p`, as kmeta.ChildName and generateName avoid collisions), and the run
 * finds it by its run, pipeline task and matrix index, never by name. A retry keeps the name of the row it retries.
 * When no free name is found the name is left as it was, and the run fails saying which (squatted-children.ts).
 */
export async function freeTaskRunNames(
  tx: Pick<PipelineUnit, 'taskRuns'>,
  runId: string,
  decision: Pick<Decision, 'start' | 'retry'>,
  rows: readonly Pick<TaskRunSummary, 'name' | 'pipelineTask' | 'matrixIndex'>[],
): Promise<void> {
  const stored = new Map(rows.map((r) => [key(r.pipelineTask, r.matrixIndex), r.name]));
  decision.retry.forEach((s, i) => {
    const name = stored.get(key(s.task, s.matrixIndex));
    if (name && name !== s.taskRunName) decision.retry[i] = { ...s, taskRunName: name };
  });
  const held = await tx.taskRuns.named(decision.start.map((s) => s.taskRunName));
  const outside = new Set(held.filter((r) => r.pipelineRunId !== runId).map((r) => r.name));
  for (const [i, s] of decision.start.entries()) {
    if (!outside.has(s.taskRunName)) continue;
    const prefix = `${s.taskRunName.slice(0, MAX_NAME - 6)}-`;
    for (let t = 0; t < TRIES; t++) {
      const next = generatedName(prefix);
      if (await tx.taskRuns.findByName(next)) continue;
      decision.start[i] = { ...s, taskRunName: next };
      break;
    }
  }
}
