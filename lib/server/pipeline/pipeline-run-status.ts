import type { Decision } from '@/lib/domain/pipeline/decide';

interface Child {
  name: string;
  pipelineTask: string | null;
}

/** The PipelineRun status in Tekton's v1 field names. */
export function pipelineRunStatus(
  previous: Record<string, unknown>,
  decision: Decision,
  children: Child[],
  now: Date,
): Record<string, unknown> {
  const prev = previous as {
    conditions?: { reason?: string; status?: string; lastTransitionTime?: string }[];
    startTime?: string;
  };
  const before = prev.conditions?.[0];
  const changed = !before || before.reason !== decision.condition.reason || before.status !== decision.condition.status;
  return {
    ...previous,
    conditions: [
      {
        type: 'Succeeded',
        status: decision.condition.status,
        reason: decision.condition.reason,
        message: decision.condition.message,
        lastTransitionTime: changed ? now.toISOString() : (before?.lastTransitionTime ?? now.toISOString()),
      },
    ],
    childReferences: children
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: c.name, pipelineTaskName: c.pipelineTask })),
    skippedTasks: decision.skippedTasks,
    ...(decision.finish ? { completionTime: now.toISOString(), results: decision.finish.results } : {}),
  };
}
