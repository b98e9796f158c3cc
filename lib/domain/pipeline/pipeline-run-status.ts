import { z } from 'zod';
import type { Decision } from './decision';
import { succeededCondition } from './succeeded-condition';

/** A TaskRun of the run, for `status.childReferences`. */
export interface ChildRun {
  name: string;
  pipelineTask: string | null;
}

/** The part of the previous status this one reads: its condition (when it has a readable one). */
const ZPreviousCondition = z.object({
  conditions: z.tuple(
    [
      z.object({
        reason: z.string().optional(),
        status: z.string().optional(),
        lastTransitionTime: z.string().optional(),
      }),
    ],
    z.unknown(),
  ),
});

/**
 * The PipelineRun status in Tekton's v1 field names: the decision's condition (its time moves only
 * when its status or reason changes), the TaskRuns sorted by name, the skips, and once finished the
 * completion time and results. Fields it does not own (startTime…) are kept from the previous status.
 */
export function pipelineRunStatus<P extends object>(
  previous: P,
  decision: Decision,
  children: readonly ChildRun[],
  now: Date,
) {
  const parsed = ZPreviousCondition.safeParse(previous);
  const before = parsed.success ? parsed.data.conditions[0] : undefined;
  const { status, reason, message } = decision.condition;
  const changed = !before || before.reason !== reason || before.status !== status;
  return {
    ...previous,
    conditions: [succeededCondition(status, reason, message, changed ? now : (before?.lastTransitionTime ?? now))],
    childReferences: [...children]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: c.name, pipelineTaskName: c.pipelineTask })),
    skippedTasks: decision.skippedTasks,
    ...(decision.finish ? { completionTime: now.toISOString(), results: decision.finish.results } : {}),
  };
}
