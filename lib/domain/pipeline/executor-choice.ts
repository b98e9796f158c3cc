/**
 * Which executor runs a TaskRun: the `keelson.dev/executor` annotation (`local` or `kubernetes`) when a run or its
 * definition sets it, else the installation's setting (a cluster named for pipelines means `kubernetes`).
 * The request is stamped on the TaskRun when it is created (its metadata annotation, so the API shows it); the
 * choice is made when a worker claims it and recorded in `task_runs.executor`.
 */
export const EXECUTOR_ANNOTATION = 'keelson.dev/executor';
export const EXECUTOR_KINDS = ['local', 'kubernetes'] as const;
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];

type Annotations = Record<string, string> | undefined | null;

const isKind = (v: unknown): v is ExecutorKind => (EXECUTOR_KINDS as readonly unknown[]).includes(v);

/** The annotation's problem at `path` (e.g. `metadata.annotations`), with how to fix it; undefined when fine or absent. */
export function executorAnnotationIssue(
  annotations: Annotations,
  path: string,
): { path: string; message: string } | undefined {
  const value = annotations?.[EXECUTOR_ANNOTATION];
  if (value === undefined || isKind(value)) return undefined;
  return {
    path: `${path}["${EXECUTOR_ANNOTATION}"]`,
    message: `is "${value}": use "local" (the worker's own sandboxed processes) or "kubernetes" (a pod on the cluster set in Settings → Pipelines), or leave it out to follow that setting`,
  };
}

/**
 * The executor a TaskRun asks for: the first layer that names one, most specific first (the TaskRun's own
 * annotations, then its PipelineRun's, then the Pipeline's; for a standalone TaskRun, then its Task's).
 */
export function requestedExecutor(...layers: Annotations[]): ExecutorKind | undefined {
  for (const l of layers) {
    const v = l?.[EXECUTOR_ANNOTATION];
    if (isKind(v)) return v;
  }
  return undefined;
}

/** The request stamped on a stored plan (its metadata annotations), if any. */
export function requestedByPlan(plan: unknown): ExecutorKind | undefined {
  if (!plan || typeof plan !== 'object') return undefined;
  const metadata = (plan as { metadata?: { annotations?: Record<string, unknown> } }).metadata;
  const v = metadata?.annotations?.[EXECUTOR_ANNOTATION];
  return isKind(v) ? v : undefined;
}

export interface ExecutorPick {
  kind: ExecutorKind;
  /** Why: the TaskRun's annotation, or the installation's setting (a cluster set, or none). */
  source: 'annotation' | 'setting';
}

/** The executor of a TaskRun being claimed: its annotation wins over the setting's default. */
export function pickExecutor(row: { plan: unknown }, setting: { defaultKind: ExecutorKind }): ExecutorPick {
  const requested = requestedByPlan(row.plan);
  return requested ? { kind: requested, source: 'annotation' } : { kind: setting.defaultKind, source: 'setting' };
}

/** A plan with the request stamped into its metadata annotations (unchanged when there is none, or it has one). */
export function withRequestedExecutor<P extends { metadata?: { annotations?: Record<string, string> } }>(
  plan: P,
  requested: ExecutorKind | undefined,
): P {
  if (!requested || requestedByPlan(plan)) return plan;
  const metadata = plan.metadata ?? {};
  return {
    ...plan,
    metadata: { ...metadata, annotations: { ...metadata.annotations, [EXECUTOR_ANNOTATION]: requested } },
  };
}
