import Link from 'next/link';
import type { TPipelineSpec } from '@/lib/domain/pipeline/pipeline-schemas';
import type { TChildPipelineRun, TPipelineRun } from '@/lib/schemas/pipeline-runs';
import { StatusBadge } from '../ui/status-badge';
import { formatDuration } from '../ui/time-format';
import { elapsedMs, type TaskState } from './task-states';
import './child-pipeline.css';

/**
 * Pipelines in Pipelines on the run page: a task that runs a child PipelineRun is marked as a pipeline in the
 * graph, its node shows the child's status, its panel links to the child's page; a child run links back.
 */

/** The names of the tasks that run a Pipeline, with the Pipeline they run (or "embedded"). */
export function pipelineTasks(spec: TPipelineSpec | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of spec ? [...spec.tasks, ...(spec.finally ?? [])] : []) {
    if (t.pipelineRef) out.set(t.name, t.pipelineRef.name);
    else if (t.pipelineSpec) out.set(t.name, 'embedded pipelineSpec');
  }
  return out;
}

export function childRunStatus(c: TChildPipelineRun): string {
  if (c.conditionStatus === 'Unknown') return c.conditionReason === 'Queued' ? 'Queued' : 'Running';
  return c.conditionReason || (c.conditionStatus === 'True' ? 'Succeeded' : 'Failed');
}

/** The task states with each pipeline task's status taken from its child PipelineRun (when it has no TaskRun). */
export function withChildRuns(
  states: Map<string, TaskState>,
  run: TPipelineRun,
  tasks: Map<string, string>,
  now: number,
): Map<string, TaskState> {
  const out = new Map(states);
  for (const c of run.childPipelineRuns) {
    const name = c.pipelineTaskName;
    const state = name ? out.get(name) : undefined;
    if (!name || !tasks.has(name) || !state || state.skipReason || state.taskRuns.length > 0) continue;
    const status = childRunStatus(c);
    const duration = formatDuration(elapsedMs(c.startTime, c.completionTime, now));
    out.set(name, { ...state, status, detail: duration, tooltip: `${status}: child PipelineRun ${c.name}` });
  }
  return out;
}

/** In the task panel: the child PipelineRun the task runs, with a link to its page (its own DAG and logs). */
export function ChildPipelineNote({
  run,
  task,
  pipeline,
  now,
}: {
  run: TPipelineRun;
  task: string;
  pipeline: string;
  now: number;
}) {
  const child = run.childPipelineRuns.find((c) => c.pipelineTaskName === task);
  return (
    <div className="child-pipeline" data-testid="child-pipeline">
      <span>
        Runs{' '}
        {pipeline === 'embedded pipelineSpec' ? (
          'an embedded pipelineSpec'
        ) : (
          <>
            Pipeline <b>{pipeline}</b>
          </>
        )}{' '}
        as a child PipelineRun
        {child ? '' : ': not started yet'}
      </span>
      {child ? (
        <span className="child-pipeline-run">
          <Link href={`/runs/${encodeURIComponent(child.name)}`} className="mono" data-testid="child-run-link">
            {child.name}
          </Link>
          <StatusBadge status={childRunStatus(child)} />
          <span className="muted">{formatDuration(elapsedMs(child.startTime, child.completionTime, now))}</span>
        </span>
      ) : null}
    </div>
  );
}

/** In a child run's header: the parent run and the pipeline task it runs for. */
export function ParentRunLink({ run }: { run: TPipelineRun }) {
  const parent = run.metadata.labels?.['keelson.dev/parent-pipelinerun'];
  if (!parent) return null;
  const task = run.metadata.labels?.['tekton.dev/pipelineTask'];
  return (
    <span data-testid="parent-run">
      child of{' '}
      <Link href={`/runs/${encodeURIComponent(parent)}`} className="mono">
        {parent}
      </Link>
      {task ? ` (task ${task})` : ''}
    </span>
  );
}
