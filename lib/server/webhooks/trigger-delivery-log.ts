import type { NewTriggerDelivery, TriggerDeliveryStore } from '../pipeline/ports';

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

type Row = NewTriggerDelivery;

export function clip(value: string | null | undefined, max = STORED_HEADER_CHARS): string | null {
  return value == null ? null : value.slice(0, max);
}

/**
 * Records a delivery that started nothing, and in the same transaction deletes that trigger's rows with the
 * same outcome beyond the newest REJECTED_DELIVERIES_KEPT. A per-(trigger, outcome) advisory lock makes the
 * bound exact under concurrent posts, and keeps one outcome's flood from pushing out another's history.
 */
export async function recordUnstartedDelivery(store: TriggerDeliveryStore, row: Row): Promise<void> {
  const values = {
    ...row,
    event: clip(row.event),
    deliveryId: clip(row.deliveryId),
    reason: clip(row.reason, STORED_REASON_CHARS),
  };
  await store.recordUnstarted(values, REJECTED_DELIVERIES_KEPT);
}
