import { ZTaskRunStatus } from '../lib/domain/pipeline/stored-schemas';

/**
 * The most step processes running at once, from each TaskRun's first step start (its process spawned) to that step's
 * end, as the TaskRun rows' statuses record them. Used by bench/pipelines-two-workers.ts and the worker slot test.
 */
export function peakStepsRunning(statuses: readonly unknown[]): number {
  const edges = statuses.flatMap((s) => {
    const step = ZTaskRunStatus.parse(s).steps[0]?.terminated;
    return step?.startedAt && step.finishedAt
      ? [
          { at: Date.parse(step.startedAt), d: 1 },
          { at: Date.parse(step.finishedAt), d: -1 },
        ]
      : [];
  });
  edges.sort((x, y) => x.at - y.at || x.d - y.d);
  let running = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (running += e.d));
  return peak;
}
