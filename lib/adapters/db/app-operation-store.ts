/** Sync operations and their leases in `app_operations` (Drizzle); implements the gitops OperationStore port. */
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { OperationPhases } from '@/lib/domain/gitops/operation-phases';
import type { DbOrTx } from './client';
import { appOperations } from './schema';

type OperationPatch = Pick<
  Partial<typeof appOperations.$inferInsert>,
  'plan' | 'progress' | 'revision' | 'results' | 'steps' | 'message' | 'phase'
>;

export function createAppOperationStore(db: DbOrTx) {
  return {
    async findOpen(appId: string): Promise<{ id: string } | undefined> {
      const [open] = await db
        .select({ id: appOperations.id })
        .from(appOperations)
        .where(and(eq(appOperations.appId, appId), isNull(appOperations.finishedAt)));
      return open;
    },
    async claim(opId: string, owner: string, now: Date, leaseUntil: Date) {
      const [row] = await db
        .update(appOperations)
        .set({ leaseOwner: owner, leaseUntil })
        .where(
          and(
            eq(appOperations.id, opId),
            isNull(appOperations.finishedAt),
            or(
              isNull(appOperations.leaseUntil),
              lt(appOperations.leaseUntil, now),
              eq(appOperations.leaseOwner, owner),
            ),
            or(isNull(appOperations.nextAttemptAt), sql`${appOperations.nextAttemptAt} <= ${now}`),
          ),
        )
        .returning();
      return row;
    },
    async renewLease(opId: string, owner: string, leaseUntil: Date): Promise<{ terminate: boolean } | undefined> {
      const [fresh] = await db
        .update(appOperations)
        .set({ leaseUntil })
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
