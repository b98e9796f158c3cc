import { TaskRunReason } from '@/lib/domain/pipeline/reasons';
import { ZPipelineSpec, type TPipelineSpec } from '@/lib/domain/pipeline/pipeline-schemas';
import type { TPipelineRun, TTaskRun } from '@/lib/schemas/pipeline-runs';
import { formatDuration } from '../ui/time-format';

/** The stored pipeline spec, or null when it no longer parses (then the page shows the YAML only). */
export function parsePipelineSpec(spec: unknown): TPipelineSpec | null {
  const parsed = ZPipelineSpec.safeParse(spec);
  return parsed.success ? parsed.data : null;
}

export interface TaskState {
  status?: string;
  detail?: string;
  tooltip?: string;
  taskRuns: TTaskRun[];
  skipReason?: string;
}

export function taskRunStatus(tr: TTaskRun): string {
  const c = tr.status.conditions?.[0];
  // A claimed TaskRun keeps its Pending condition until it ends; keelsonState says it is running.
  if (tr.status.keelsonState === 'running') return TaskRunReason.Running;
  if (!c) return TaskRunReason.Pending;
  if (c.status === 'Unknown')
    return c.reason === TaskRunReason.Pending || c.reason === TaskRunReason.ToBeRetried
      ? c.reason
      : TaskRunReason.Running;
  return c.reason || (c.status === 'True' ? TaskRunReason.Successful : TaskRunReason.Failed);
}

export function elapsedMs(
  start: string | null | undefined,
  end: string | null | undefined,
  now: number,
): number | null {
  if (!start) return null;
  return Math.max(0, (end ? Date.parse(end) : now) - Date.parse(start));
}

function combined(statuses: string[]): string {
  if (statuses.some((s) => s === TaskRunReason.Running)) return TaskRunReason.Running;
  if (statuses.some((s) => s === TaskRunReason.Pending || s === TaskRunReason.ToBeRetried))
    return TaskRunReason.Pending;
  return statuses.find((s) => s !== TaskRunReason.Successful) ?? TaskRunReason.Successful;
}

/** Per pipeline task: its TaskRuns, a status for the DAG node, its duration and, if skipped, why. */
export function taskStates(
  run: TPipelineRun,
  taskNames: string[],
  finished: boolean,
  now: number,
): Map<string, TaskState> {
  const skipped = new Map((run.status.skippedTasks ?? []).map((s) => [s.name, s.reason ?? 'skipped']));
  const out = new Map<string, TaskState>();
  for (const name of taskNames) {
    const taskRuns = run.taskRuns.filter((tr) => tr.metadata.labels?.['tekton.dev/pipelineTask'] === name);
    const skipReason = skipped.get(name);
    if (skipReason !== undefined) {
      out.set(name, { status: 'Skipped', detail: skipReason, tooltip: `Skipped: ${skipReason}`, taskRuns, skipReason });
      continue;
    }
    if (taskRuns.length === 0) {
      out.set(name, { status: finished ? 'Not run' : 'Pending', taskRuns });
      continue;
    }
    const status = combined(taskRuns.map(taskRunStatus));
    const starts = taskRuns.map((t) => t.status.startTime).filter((s): s is string => Boolean(s));
    const ends = taskRuns.map((t) => t.status.completionTime ?? null);
    const start = starts.length ? starts.reduce((a, b) => (a < b ? a : b)) : null;
    const end = ends.every(Boolean) ? (ends as string[]).reduce((a, b) => (a > b ? a : b)) : null;
    const duration = formatDuration(elapsedMs(start, end, now));
    const detail = [start ? duration : null, taskRuns.length > 1 ? `${taskRuns.length} runs` : null]
      .filter(Boolean)
      .join(' · ');
    const message = taskRuns.map((t) => t.status.conditions?.[0]?.message).find(Boolean);
    out.set(name, { status, detail, tooltip: message ? `${status}: ${message}` : status, taskRuns });
  }
  return out;
}
