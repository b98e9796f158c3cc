import type { TPipelineRunAnswer } from '../responses';
import { formatTable } from '../output';

/** `pipelinerun describe`, Pipelines in Pipelines: the parent of a child run, and the child runs of a parent. */
export function parentLines(run: TPipelineRunAnswer): string[] {
  const parent = run.metadata.labels?.['keelson.dev/parent-pipelinerun'];
  if (!parent) return [];
  const task = run.metadata.labels?.['tekton.dev/pipelineTask'];
  return [`Parent:   ${parent}${task ? ` (task ${task})` : ''}  → keelson pipelinerun describe ${parent}`];
}

export function childRunLines(run: TPipelineRunAnswer): string[] {
  const children = run.childPipelineRuns ?? [];
  if (children.length === 0) return [];
  return [
    '',
    'Child PipelineRuns (keelson pipelinerun describe <name>):',
    formatTable(
      ['NAME', 'TASK', 'PIPELINE', 'STATUS'],
      children.map((c) => [
        c.name,
        c.pipelineTaskName ?? '',
        c.pipeline ?? '(inline)',
        c.conditionStatus === 'Unknown' ? 'Running' : c.conditionReason,
      ]),
    ),
  ];
}
