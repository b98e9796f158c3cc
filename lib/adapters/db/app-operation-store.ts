/** Sync operations and their leases in `app_operations` (Drizzle); implements the gitops OperationStore port. */
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { OperationStore } from '@/lib/server/gitops/ports';
import { OperationPhases } from '@/lib/domain/gitops/operation-phases';
import type { DbOrTx } from './client';
import { appOperations, applications } from './schema';

/** A lease's end, `ms` from the database's clock (the one every controller shares), as the membership's. */
const leaseFromNow = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms / 1000})`;

type OperationPatch = Pick<
  Partial<typeof appOperations.$inferInsert>,
  'plan' | 'progress' | 'revision' | 'results' | 'steps' | 'message' | 'phase'
>;

type OperationRow = typeof appOperations.$inferSelect;

export function createAppOperationStore(db: DbOrTx): OperationStore {
  return {
    async findOpen(appId: string) {
      const [open] = await db
        .select({ id: appOperations.id, phase: appOperations.phase })
        .from(appOperations)
        .where(and(eq(appOperations.appId, appId), isNull(appOperations.finishedAt)));
      return open;
    },
    async latest(appId: string, id?: string) {
      const [row] = await db
        .select()
        .from(appOperations)
        .where(and(eq(appOperations.appId, appId), id ? eq(appOperations.id, id) : undefined))
        .orderBy(desc(appOperations.startedAt))
        .limit(1);
      return row;
    },
    /** For the page's apps only (the (app_id, started_at) index). */
    async latestPhases(appIds: readonly string[]) {
      if (appIds.length === 0) return [];
      return db
        .selectDistinctOn([appOperations.appId], {
          appId: appOperations.appId,
          phase: appOperations.phase,
          terminateRequested: appOperations.terminateRequested,
          finishedAt: appOperations.finishedAt,
        })
        .from(appOperations)
        .where(inArray(appOperations.appId, [...appIds]))
        .orderBy(appOperations.appId, desc(appOperations.startedAt));
    },
    async insert(appId: string, operation: OperationRow['operation'], startedAt: Date, message?: string) {
      const [row] = await db.insert(appOperations).values({ appId, operation, startedAt, message }).returning();
      return row;
    },
    async appsWithDueOperations(now: Date) {
      const open = await db
        .select({ name: applications.name })
        .from(appOperations)
        .innerJoin(applications, eq(applications.id, appOperations.appId))
        .where(
          and(
            isNull(appOperations.finishedAt),
            or(isNull(appOperations.leaseUntil), lt(appOperations.leaseUntil, sql`now()`)),
            or(isNull(appOperations.nextAttemptAt), lt(appOperations.nextAttemptAt, now)),
          ),
        );
      return open.map((o) => o.name);
    },
    async scheduleRetry(opId: string, retry: { retryCount: number; nextAttemptAt: Date; message: string }) {
      await db
        .update(appOperations)
        .set({ plan: null, progress: null, ...retry, leaseOwner: null, leaseUntil: null })
        .where(eq(appOperations.id, opId));
    },
    async finish(opId, phase, message, at, patch = {}) {
      const [finished] = await db
        .update(appOperations)
        .set({ ...patch, phase, message, finishedAt: at, leaseOwner: null, leaseUntil: null })
        .where(and(eq(appOperations.id, opId), inArray(appOperations.phase, OperationPhases.predecessors(phase))))
        .returning({ id: appOperations.id });
      return finished !== undefined;
    },
    async requestTerminate(appId: string) {
      const [op] = await db
        .update(appOperations)
        .set({ terminateRequested: true })
        .where(and(eq(appOperations.appId, appId), isNull(appOperations.finishedAt)))
        .returning();
      return op;
    },
    async claimOpen(appId: string, owner: string, now: Date, leaseMs: number) {
      const [row] = await db
        .update(appOperations)
        .set({ leaseOwner: owner, leaseUntil: leaseFromNow(leaseMs) })
        .where(
          and(
            eq(appOperations.appId, appId),
            isNull(appOperations.finishedAt),
            or(
              isNull(appOperations.leaseUntil),
              lt(appOperations.leaseUntil, sql`now()`),
              eq(appOperations.leaseOwner, owner),
            ),
            or(isNull(appOperations.nextAttemptAt), sql`${appOperations.nextAttemptAt} <= ${now}`),
          ),
        )
        .returning();
      return row;
    },
    async renewLease(opId: string, owner: string, leaseMs: number): Promise<{ terminate: boolean } | undefined> {
      const [fresh] = await db
        .update(appOperations)
        .set({ leaseUntil: leaseFromNow(leaseMs) })
        .where(and(eq(appOperations.id, opId), eq(appOperations.leaseOwner, owner)))
        .returning({ terminate: appOperations.terminateRequested });
      return fresh;
    },
    async releaseLease(opId: string): Promise<void> {
      await db.update(appOperations).set({ leaseUntil: null, leaseOwner: null }).where(eq(appOperations.id, opId));
    },
    async save(opId: string, patch: OperationPatch): Promise<void> {
      // A phase change is a compare-and-set on the phases the transition table allows before it, so a
      // late write never moves an operation that ended, or is terminating, back to Running.
      const from = patch.phase && inArray(appOperations.phase, OperationPhases.predecessors(patch.phase));
      await db
        .update(appOperations)
        .set(patch)
        .where(and(eq(appOperations.id, opId), from));
    },
  };
}
