import type { HealthStatus } from './health/types';
import { parseResourceKey } from './k8s-object';
import type { SyncPhase } from './hooks';
import type { SyncPlan, SyncTask } from './sync-plan';

export type { OperationPhase } from './operation-phases';
export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
export type HookPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';

export interface TaskProgress {
  status: ResultCode;
  message?: string;
  /** Set by the executor when it knows better than health (e.g. Error: the hook could not be deleted). */
  hookPhase?: HookPhase;
}

export interface SyncProgress {
  /** Results so far, by task id. A task without a result has not run. */
  results: Readonly<Record<string, TaskProgress>>;
  /** Live health of applied resources and hooks, by resource key. */
  health: Readonly<Record<string, HealthStatus>>;
  /** Keys of pruned objects that still exist (deletion pending, e.g. behind finalizers). */
  deleting?: readonly string[];
  /** A user asked to terminate the operation. */
  terminate?: boolean;
}

export type SyncAction =
  | { kind: 'apply-wave'; phase: SyncPhase; wave: number; tasks: SyncTask[] }
  | { kind: 'wait'; reason: string }
  | { kind: 'run-sync-fail-hooks'; tasks: SyncTask[] }
  | {
      kind: 'done';
      phase: 'Succeeded' | 'Failed';
      message: string;
      /** Hooks to delete now: by delete policy on success or failure; running hooks on terminate. */
      deleteHooks: SyncTask[];
    };

export const MESSAGE_TERMINATED = 'Operation terminated';
export const MESSAGE_SUCCEEDED = 'successfully synced (all tasks run)';
export const MESSAGE_APPLY_FAILED = 'one or more objects failed to apply';
export const MESSAGE_TASKS_FAILED = 'one or more synchronization tasks completed unsuccessfully';
export const MESSAGE_SYNC_FAIL_HOOKS_FAILED = 'one or more SyncFail hooks failed';

type TaskState = 'pending' | 'running' | 'succeeded' | 'failed';

/** gitops-engine `getOperationPhase`: how a hook's health reads as its phase. */
export function hookPhaseFromHealth(health: HealthStatus | undefined): HookPhase {
  switch (health?.status) {
    case 'Healthy':
      return 'Succeeded';
    case 'Degraded':
    case 'Unknown':
      return 'Failed';
    default:
      return 'Running';
  }
}

export function hookPhaseOf(task: SyncTask, progress: SyncProgress): HookPhase | undefined {
  const result = progress.results[task.id];
  if (!result || task.action !== 'hook') return undefined;
  if (result.status === 'SyncFailed') return 'Failed';
  return result.hookPhase ?? hookPhaseFromHealth(progress.health[task.key]);
}

/**
 * Mirrors gitops-engine's task states: a hook runs until its phase ends; a prune is done once
 * recorded; an applied resource whose health gates the sync runs until Healthy (succeeded) or
 * Degraded (failed), any other applied resource is done once applied.
 */
function stateOf(task: SyncTask, progress: SyncProgress, gated: ReadonlySet<string> = new Set()): TaskState {
  const result = progress.results[task.id];
  if (!result) return 'pending';
  if (result.status === 'SyncFailed') return 'failed';
  if (task.action === 'prune') return 'succeeded';
  if (task.action === 'hook') {
    const phase = hookPhaseOf(task, progress);
    return phase === 'Succeeded' ? 'succeeded' : phase === 'Running' || phase === 'Terminating' ? 'running' : 'failed';
  }
  if (!gated.has(task.id)) return 'succeeded';
  const health = progress.health[task.key]?.status;
  return health === 'Healthy' ? 'succeeded' : health === 'Degraded' ? 'failed' : 'running';
}

function describe(task: SyncTask): string {
  const id = parseResourceKey(task.key);
  return id ? `${id.group}/${id.kind}/${id.name}` : task.key;
}

/** Argo CD's running message: "waiting for healthy state of apps/Deployment/web and 2 more resources". */
function waitingFor(tasks: SyncTask[], what: 'completion' | 'health' | 'deletion'): string {
  const first = tasks[0];
  const prefix =
    what === 'deletion' ? 'deletion of' : first.action === 'hook' ? 'completion of hook' : 'healthy state of';
  const more = tasks.length - 1;
  const noun = first.action === 'hook' ? 'hooks' : 'resources';
  return `waiting for ${prefix} ${describe(first)}${more > 0 ? ` and ${more} more ${noun}` : ''}`;
}

function withReasons(message: string, failed: SyncTask[], progress: SyncProgress): string {
  const reasons = [...new Set(failed.map((t) => progress.results[t.id]?.message ?? '').filter((m) => m !== ''))];
  return reasons.length > 0 ? `${message}, reason: ${reasons.join(',')}` : message;
}

function hooksToDelete(tasks: SyncTask[], progress: SyncProgress, policy: 'HookSucceeded' | 'HookFailed'): SyncTask[] {
  return tasks.filter((t) => {
    if (t.action !== 'hook' || !progress.results[t.id]?.status || !t.hookDeletePolicies?.includes(policy)) return false;
    const state = stateOf(t, progress);
    return state === 'succeeded' || state === 'failed';
  });
}

function fail(plan: SyncPlan, progress: SyncProgress, all: SyncTask[], message: string): SyncAction {
  const syncFail = plan.syncFail;
  const deleteHooks = hooksToDelete([...all, ...syncFail], progress, 'HookFailed');
  if (syncFail.length === 0) return { kind: 'done', phase: 'Failed', message, deleteHooks };
  const states = syncFail.map((t) => stateOf(t, progress));
  if (states.every((s) => s === 'pending')) return { kind: 'run-sync-fail-hooks', tasks: syncFail };
  const running = syncFail.filter((_, i) => states[i] === 'running' || states[i] === 'pending');
  if (running.length > 0) return { kind: 'wait', reason: waitingFor(running, 'completion') };
  const failedHooks = syncFail.filter((_, i) => states[i] === 'failed');
  const full =
    failedHooks.length > 0
      ? `${message}\n${withReasons(MESSAGE_SYNC_FAIL_HOOKS_FAILED, failedHooks, progress)}`
      : message;
  return { kind: 'done', phase: 'Failed', message: full, deleteHooks };
}

/**
 * Applied resources whose health gates the sync: in a multi-step sync, all but those of the final
 * step, unless that step also has hooks. As upstream, a single apply "succeeds EVEN if those objects
 * subsequently degrade": the last wave does not wait for health.
 */
function healthGated(plan: SyncPlan): Set<string> {
  if (plan.steps.length <= 1) return new Set();
  const final = plan.steps[plan.steps.length - 1];
  const finalHasHooks = final.tasks.some((t) => t.action === 'hook');
  const steps = finalHasHooks ? plan.steps : plan.steps.slice(0, -1);
  return new Set(
    steps
      .flatMap((s) => s.tasks)
      .filter((t) => t.action === 'apply')
      .map((t) => t.id),
  );
}

/**
 * Tasks whose live state the next step depends on: hooks (their phase), prunes (still deleting) and applied resources
 * whose health gates the sync. Any other applied resource is done once applied, so its object need not be read again
 * (for a single-wave sync without hooks or prunes: no read at all before the operation ends, as upstream).
 */
export function observedTasks(plan: SyncPlan): SyncTask[] {
  const gated = healthGated(plan);
  return [...plan.steps.flatMap((s) => s.tasks), ...plan.syncFail].filter(
    (t) => t.action !== 'apply' || gated.has(t.id),
  );
}

/**
 * The next thing a sync operation should do, from its plan and what has happened so far. The
 * executor performs the action, records results and health, and asks again; nothing here does I/O,
 * so a restarted controller resumes from the stored progress.
 */
export function nextSyncAction(plan: SyncPlan, progress: SyncProgress): SyncAction {
  const all = plan.steps.flatMap((s) => s.tasks);
  if (progress.terminate) {
    const running = [...all, ...plan.syncFail].filter((t) => t.action === 'hook' && stateOf(t, progress) === 'running');
    return { kind: 'done', phase: 'Failed', message: MESSAGE_TERMINATED, deleteHooks: running };
  }

  // An apply or prune that failed ends the operation at once, as in the pass that ran it upstream.
  const failedApply = all.filter((t) => t.action !== 'hook' && progress.results[t.id]?.status === 'SyncFailed');
  if (failedApply.length > 0)
    return fail(plan, progress, all, withReasons(MESSAGE_APPLY_FAILED, failedApply, progress));

  const gated = healthGated(plan);
  const state = (t: SyncTask) => stateOf(t, progress, gated);
  const running = all.filter((t) => state(t) === 'running');
  if (running.length > 0) return { kind: 'wait', reason: waitingFor(running, 'health') };

  const deleting = new Set(progress.deleting ?? []);
  const pendingDeletion = all.filter(
    (t) => t.action === 'prune' && progress.results[t.id]?.status === 'Pruned' && deleting.has(t.key),
  );
  if (pendingDeletion.length > 0) return { kind: 'wait', reason: waitingFor(pendingDeletion, 'deletion') };

  const failed = all.filter((t) => state(t) === 'failed');
  if (failed.length > 0) return fail(plan, progress, all, withReasons(MESSAGE_TASKS_FAILED, failed, progress));

  const next = plan.steps.find((s) => s.tasks.some((t) => state(t) === 'pending'));
  if (!next) {
    return {
      kind: 'done',
      phase: 'Succeeded',
      message: MESSAGE_SUCCEEDED,
      deleteHooks: hooksToDelete(all, progress, 'HookSucceeded'),
    };
  }
  return {
    kind: 'apply-wave',
    phase: next.phase,
    wave: next.wave,
    tasks: next.tasks.filter((t) => state(t) === 'pending'),
  };
}

export interface ResourceResult {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  status: ResultCode;
  message: string;
  hookPhase?: HookPhase;
  syncPhase: SyncPhase;
}

/** The operation's per-resource results, in plan order, for the status and the UI. */
export function resourceResults(plan: SyncPlan, progress: SyncProgress): ResourceResult[] {
  return [...plan.steps.flatMap((s) => s.tasks), ...plan.syncFail].flatMap((t) => {
    const result = progress.results[t.id];
    const id = parseResourceKey(t.key);
    if (!result || !id) return [];
    const hookPhase = hookPhaseOf(t, progress);
    return [
      {
        ...id,
        status: result.status,
        message: result.message ?? '',
        syncPhase: t.phase,
        ...(hookPhase ? { hookPhase } : {}),
      },
    ];
  });
}
