import { sql } from 'drizzle-orm';
import type { Db } from '@/lib/adapters/db/client';
import { triggerDeliveries } from '@/lib/adapters/db/schema';

/**
 * The delivery log of a trigger, kept useful for debugging and bounded against floods. Anyone who knows a
 * trigger's URL can POST to it, and anyone who captured one signed delivery can replay it, so every outcome
 * that can be repeated without the secret (rejected, error, and replays answered duplicate or filtered) keeps
 * only its newest rows per trigger. Started deliveries are not bounded here: each needs a new signed payload
 * and started a run; housekeeping prunes them with the rest after KEELSON_DELIVERY_RETENTION_DAYS.
 */
export const REJECTED_DELIVERIES_KEPT = 100;
/** Event names and delivery ids are short (a UUID is 36); the rest of a longer header is dropped. */
export const STORED_HEADER_CHARS = 128;
const STORED_REASON_CHARS = 1000;

type Row = typeof triggerDeliveries.$inferInsert;

export function clip(value: string | null | undefined, max = STORED_HEADER_CHARS): string | null {
  return value == null ? null : value.slice(0, max);
}

/**
 * Records a delivery that started nothing, and in the same transaction deletes that trigger's rows with the
 * same outcome beyond the newest REJECTED_DELIVERIES_KEPT. A per-(trigger, outcome) advisory lock makes the
 * bound exact under concurrent posts, and keeps one outcome's flood from pushing out another's history.
 */
export async function recordUnstartedDelivery(db: Db, row: Row): Promise<void> {
  const values = {
    ...row,
    event: clip(row.event),
    deliveryId: clip(row.deliveryId),
    reason: clip(row.reason, STORED_REASON_CHARS),
  };
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`trigger_deliveries:${row.trigger}:${row.outcome}`}))`,
    );
    await tx.insert(triggerDeliveries).values(values);
    await tx.execute(sql`
      delete from ${triggerDeliveries} where ${triggerDeliveries.id} in (
        select ${triggerDeliveries.id} from ${triggerDeliveries}
        where ${triggerDeliveries.trigger} = ${row.trigger} and ${triggerDeliveries.outcome} = ${row.outcome}
        order by ${triggerDeliveries.receivedAt} desc, ${triggerDeliveries.id} desc
        offset ${REJECTED_DELIVERIES_KEPT}
      )`);
  });
}
