import type { TTriggerDelivery } from '@/lib/schemas/triggers';
import { StatusBadge } from '../ui/status-badge';

/** A delivery's outcome in the shared status palette: started is a success, filtered and duplicate skips, the rest failures. */
const TONE_STATUS: Record<TTriggerDelivery['outcome'], string> = {
  started: 'Succeeded',
  filtered: 'Skipped',
  duplicate: 'Skipped',
  rejected: 'Failed',
  error: 'Failed',
};

export function DeliveryOutcome({ outcome }: { outcome: TTriggerDelivery['outcome'] }) {
  return <StatusBadge status={TONE_STATUS[outcome]} label={outcome} />;
}
