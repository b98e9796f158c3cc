import type { TPin } from '@/lib/schemas/applications';
import { Icon } from '../ui/icons';

/** The pushpin shown wherever an app is pinned to a revision by a rollback. */
export function PinnedMarker({ pin }: { pin: TPin }) {
  return (
    <span
      className="pin-marker"
      title={`Pinned to ${pin.revision.slice(0, 7)} by ${pin.by}: ${pin.reason}`}
      data-testid="pinned-marker"
    >
      <Icon name="pin" size={12} />
      Pinned
    </span>
  );
}

export function OperationMarker({ phase }: { phase?: string }) {
  if (phase !== 'Running' && phase !== 'Terminating') return null;
  return (
    <span className="op-marker">
      <Icon name="spinner" size={12} className="spin" />
      {phase === 'Running' ? 'Syncing' : 'Terminating'}
    </span>
  );
}
