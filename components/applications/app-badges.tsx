import type { TPin, TSyncWindowState } from '@/lib/schemas/applications';
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

const WINDOW_TEXT = { blocked: 'Sync window: blocked', 'manual-only': 'Sync window: manual only' } as const;

/**
 * The project's sync windows when they hold syncing now: "blocked" (no sync) or "manual only" (a person may sync,
 * auto-sync waits); the windows deciding are in the tooltip. Nothing while syncing is allowed.
 */
export function SyncWindowBadge({ window }: { window?: TSyncWindowState }) {
  if (!window || window.state === 'allowed') return null;
  const windows = window.windows
    .map(
      (w) =>
        `${w.kind} ${w.schedule} for ${w.duration}${w.timeZone ? ` (${w.timeZone})` : ''}${w.manualSync ? ', manual sync allowed' : ''}`,
    )
    .join('\n');
  return (
    <span
      className={`window-badge window-${window.state}`}
      title={`${window.reason}\n${windows}`}
      data-testid="sync-window-badge"
    >
      <Icon name="pause" size={12} />
      {WINDOW_TEXT[window.state]}
    </span>
  );
}
