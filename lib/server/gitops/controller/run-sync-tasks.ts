/**
 * Performs the tasks of one wave against the cluster: server-side apply for resources, create for
 * hooks (after deleting the previous run's hook when BeforeHookCreation), delete for prunes. Each
 * task's outcome becomes a result value; a refused apply is a SyncFailed result, not an exception.
 */
import { isKubeError } from '@/lib/adapters/k8s';
import { groupOf, type KubeObject, type SyncTask, type TaskProgress } from '@/lib/domain/gitops';
import { mapLimit } from '../map-limit';
import type { ClusterClient } from '../ports';
import { objectKey as keyOf } from './object-key';

export interface TaskRunOptions {
  dryRun: boolean;
  validate: boolean;
  /** The controller's clock (how long a deleted hook may take to go). */
  now: () => Date;
  /** Told each resource a real (not dry-run) apply left live, with the object as applied. */
  applied?: (desired: KubeObject, live: KubeObject) => void;
}

/** kubectl's way of naming an object in messages: `deployment.apps/web`, `service/web`. */
export function kubectlName(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  return `${obj.kind.toLowerCase()}${group ? `.${group}` : ''}/${obj.metadata.name ?? ''}`;
}

async function waitGone(cluster: ClusterClient, obj: KubeObject, now: () => Date, timeoutMs = 60_000): Promise<void> {
  const until = now().getTime() + timeoutMs;
  while (now().getTime() < until) {
    if (!(await cluster.get(keyOf(obj)))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${kubectlName(obj)} is still being deleted after ${Math.round(timeoutMs / 1000)}s`);
}

function failure(err: unknown): TaskProgress {
  const message = isKubeError(err) ? err.message : err instanceof Error ? err.message : String(err);
  return { status: 'SyncFailed', message };
}

async function apply(cluster: ClusterClient, task: SyncTask, opts: TaskRunOptions): Promise<TaskProgress> {
  const { created, object } = await cluster.apply(task.obj, {
    dryRun: opts.dryRun,
    fieldValidation: opts.validate ? 'Strict' : 'Ignore',
  });
  if (!opts.dryRun && task.action === 'apply') opts.applied?.(task.obj, object);
  const verb = created ? 'created' : 'serverside-applied';
  return { status: 'Synced', message: `${kubectlName(task.obj)} ${verb}${opts.dryRun ? ' (dry run)' : ''}` };
}

async function runHook(cluster: ClusterClient, task: SyncTask, opts: TaskRunOptions): Promise<TaskProgress> {
  if (!opts.dryRun && task.hookDeletePolicies?.includes('BeforeHookCreation')) {
    const { deleted } = await cluster.delete(keyOf(task.obj), { propagationPolicy: 'Background' });
    if (deleted) await waitGone(cluster, task.obj, opts.now);
  }
  return apply(cluster, task, opts);
}

async function prune(cluster: ClusterClient, task: SyncTask, opts: TaskRunOptions): Promise<TaskProgress> {
  if (task.pruneSkipped) return { status: 'PruneSkipped', message: task.pruneSkipped };
  await cluster.delete(keyOf(task.obj), { propagationPolicy: 'Foreground', dryRun: opts.dryRun });
  return { status: 'Pruned', message: opts.dryRun ? 'pruned (dry run)' : 'pruned' };
}

export async function runTask(cluster: ClusterClient, task: SyncTask, opts: TaskRunOptions): Promise<TaskProgress> {
  try {
    if (task.action === 'prune') return await prune(cluster, task, opts);
    if (task.action === 'hook') return await runHook(cluster, task, opts);
    return await apply(cluster, task, opts);
  } catch (err) {
    return failure(err);
  }
}

/** Runs a wave's tasks in parallel (as Argo CD does within a wave), at most `limit` at a time. */
export async function runTasks(
  cluster: ClusterClient,
  tasks: SyncTask[],
  opts: TaskRunOptions,
  limit = 10,
): Promise<Record<string, TaskProgress>> {
  const outcomes = await mapLimit(tasks, limit, (t) => runTask(cluster, t, opts));
  return Object.fromEntries(tasks.map((t, i) => [t.id, outcomes[i]]));
}

/** Deletes hooks by their delete policy once the operation ends (background: the operation does not wait). */
export async function deleteHooks(cluster: ClusterClient, tasks: SyncTask[]): Promise<void> {
  await Promise.all(
    tasks.map((t) => cluster.delete(keyOf(t.obj), { propagationPolicy: 'Background' }).catch(() => undefined)),
  );
}
