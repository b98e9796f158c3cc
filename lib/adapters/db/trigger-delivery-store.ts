/** The trigger delivery log (Drizzle); implements the pipeline TriggerDeliveryStore port. */
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { TriggerDeliveryStore } from '@/lib/server/pipeline/ports';
import type { DbOrTx } from './client';
import { triggerDeliveries } from './schema';

export function createTriggerDeliveryStore(db: DbOrTx): TriggerDeliveryStore {
  return {
    async newestOf(triggers) {
      if (triggers.length === 0) return [];
      // Served by trigger_deliveries_trigger_idx.
      return db
        .selectDistinctOn([triggerDeliveries.trigger])
        .from(triggerDeliveries)
        .where(inArray(triggerDeliveries.trigger, [...triggers]))
        .orderBy(triggerDeliveries.trigger, desc(triggerDeliveries.receivedAt), desc(triggerDeliveries.id));
    },

    async list(trigger, limit) {
      return db
        .select()
        .from(triggerDeliveries)
        .where(eq(triggerDeliveries.trigger, trigger))
        .orderBy(desc(triggerDeliveries.receivedAt), desc(triggerDeliveries.id))
        .limit(limit);
    },

    async claimStarted(row) {
      const [claimed] = await db
        .insert(triggerDeliveries)
        .values(row)
        .onConflictDoNothing()
        .returning({ id: triggerDeliveries.id });
      return claimed?.id;
    },

    async setRunName(id, runName) {
      await db.update(triggerDeliveries).set({ runName }).where(eq(triggerDeliveries.id, id));
    },

    async firstStarted(trigger, deliveryId, payloadDigest) {
      const same = [
        deliveryId ? eq(triggerDeliveries.deliveryId, deliveryId) : undefined,
        payloadDigest ? eq(triggerDeliveries.payloadDigest, payloadDigest) : undefined,
      ].filter((c) => c !== undefined);
      const [first] = await db
        .select({ runName: triggerDeliveries.runName, deliveryId: triggerDeliveries.deliveryId })
        .from(triggerDeliveries)
        .where(and(eq(triggerDeliveries.trigger, trigger), eq(triggerDeliveries.outcome, 'started'), or(...same)));
      return first;
    },

    async recordUnstarted(row, keep) {
      await db.transaction(async (tx) => {
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtext(${`trigger_deliveries:${row.trigger}:${row.outcome}`}))`,
        );
        await tx.insert(triggerDeliveries).values(row);
        await tx.execute(sql`
          delete from ${triggerDeliveries} where ${triggerDeliveries.id} in (
            select ${triggerDeliveries.id} from ${triggerDeliveries}
            where ${triggerDeliveries.trigger} = ${row.trigger} and ${triggerDeliveries.outcome} = ${row.outcome}
            order by ${triggerDeliveries.receivedAt} desc, ${triggerDeliveries.id} desc
            offset ${keep}
          )`);
      });
    },
  };
}
