/**
 * Claiming TaskRuns for a worker, each for the executor that will run it (lib/domain/pipeline/executor-choice.ts):
 * the local executor's up to the worker's free slots, the Kubernetes executor's only while fewer than the
 * installation's maxConcurrentTaskRuns run there across all workers.
 */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { EXECUTOR_ANNOTATION, type ExecutorKind } from '@/lib/domain/pipeline/executor-choice';
import { TaskRunStates } from '@/lib/domain/pipeline/task-run-states';
import type { ClaimRoute, TaskRunRow } from '@/lib/server/pipeline/ports';
import { claimedFields, runningStatus } from '@/lib/server/pipeline/task-run-lease';
import type { DbOrTx } from './client';
import { taskRuns } from './schema';

/** Serializes the Kubernetes claims of all workers, so their count and their update see each other. */
const KUBERNETES_CLAIM_LOCK = sql`hashtext('keelson.task-runs.kubernetes-claim')`;

/** The annotation the TaskRun was created with (its request), as pickExecutor reads it. */
const requested = sql`(${taskRuns.plan} #>> ${`{metadata,annotations,${EXECUTOR_ANNOTATION}}`}::text[])`;

/** pickExecutor in SQL: the TaskRun's valid request, else the default. */
const pick = (defaultExecutor: ExecutorKind): SQL<ExecutorKind> =>
  sql<ExecutorKind>`(case when ${requested} in ('local', 'kubernetes') then ${requested} else ${defaultExecutor} end)`;

const claimable = (ids: readonly string[]) =>
  and(inArray(taskRuns.id, [...ids]), inArray(taskRuns.state, TaskRunStates.predecessors('running')));

function claimedSet(owner: string, leaseMs: number, at: Date) {
  return {
    ...claimedFields(owner, leaseMs, at),
    status: sql`${taskRuns.status} || ${JSON.stringify(runningStatus(at))}::jsonb`,
  };
}

/**
 * The ids among `ids` still claimable that pick `kind`, oldest first, at most `limit` (rows locked, others skipped).
 * Used as a WITH query, which Postgres runs once: as a subquery of the update it may run again after the first
 * rows were updated, skip those (updated by this very statement) and take the next ones past the limit.
 */
const candidates = (db: DbOrTx, ids: readonly string[], kind: SQL, limit: number) =>
  db
    .select({ id: taskRuns.id })
    .from(taskRuns)
    .where(and(claimable(ids), kind))
    // A total order: the planner may run this subquery again for the update, which must get the same rows.
    .orderBy(asc(taskRuns.createdAt), asc(taskRuns.id))
    .limit(limit)
    .for('update', { skipLocked: true });

async function claimLocal(
  db: DbOrTx,
  ids: readonly string[],
  set: ReturnType<typeof claimedSet>,
  route: ClaimRoute,
): Promise<TaskRunRow[]> {
  // Without a Kubernetes executor every TaskRun is claimed here, one asking for it too (to fail with the reason).
  const which = route.kubernetes ? sql`${pick(route.defaultExecutor)} = 'local'` : sql`true`;
  const executor = route.kubernetes ? sql`'local'` : pick(route.defaultExecutor);
  if (route.maxLocal !== undefined && route.maxLocal <= 0) return [];
  if (route.maxLocal === undefined)
    return db
      .update(taskRuns)
      .set({ ...set, executor: sql`${executor}` })
      .where(and(claimable(ids), which))
      .returning();
  const picked = db.$with('picked').as(candidates(db, ids, which, route.maxLocal));
  return db
    .with(picked)
    .update(taskRuns)
    .set({ ...set, executor: sql`${executor}` })
    .where(and(inArray(taskRuns.id, db.select({ id: picked.id }).from(picked)), claimable(ids)))
    .returning();
}

/** Under the lock: count what runs on Kubernetes now, and claim at most the rest of `max` (compare-and-set). */
function claimKubernetes(
  db: DbOrTx,
  ids: readonly string[],
  set: ReturnType<typeof claimedSet>,
  route: ClaimRoute & { kubernetes: { max: number } },
): Promise<TaskRunRow[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${KUBERNETES_CLAIM_LOCK})`);
    const [{ running }] = await tx
      .select({ running: count() })
      .from(taskRuns)
      .where(and(eq(taskRuns.state, 'running'), eq(taskRuns.executor, 'kubernetes')));
    const room = route.kubernetes.max - running;
    if (room <= 0) return [];
    const which = sql`${pick(route.defaultExecutor)} = 'kubernetes'`;
    const picked = tx.$with('picked').as(candidates(tx, ids, which, room));
    return tx
      .with(picked)
      .update(taskRuns)
      .set({ ...set, executor: 'kubernetes' })
      .where(and(inArray(taskRuns.id, tx.select({ id: picked.id }).from(picked)), claimable(ids)))
      .returning();
  });
}

/** The TaskRuns of `ids` this owner got, each with `executor` set; those left stay pending for a later claim. */
export async function claimTaskRuns(
  db: DbOrTx,
  at: Date,
  ids: readonly string[],
  owner: string,
  leaseMs: number,
  route: ClaimRoute = { defaultExecutor: 'local' },
): Promise<TaskRunRow[]> {
  if (ids.length === 0) return [];
  const set = claimedSet(owner, leaseMs, at);
  const local = await claimLocal(db, ids, set, route);
  if (!route.kubernetes || local.length === ids.length) return local;
  const taken = new Set(local.map((r) => r.id));
  const rest = ids.filter((id) => !taken.has(id));
  return [...local, ...(await claimKubernetes(db, rest, set, { ...route, kubernetes: route.kubernetes }))];
}
