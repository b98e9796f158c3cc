'use client';
import { useUnpin } from '@/lib/client/applications';
import type { TPin } from '@/lib/schemas/applications';
import { Icon } from '../ui/icons';
import { shortSha } from './format';
import { Ago } from '../ui/ago';

/** Rollbacks pin the app; unlike Argo CD, auto-sync is held, not silently turned off, and this says so. */
export function PinnedBanner({
  app,
  pin,
  targetRevision,
  automated,
  denied,
}: {
  app: string;
  pin: TPin;
  targetRevision: string;
  automated: boolean;
  /** Why the caller may not unpin (it needs sync); the button is then disabled. */
  denied?: string;
}) {
  const unpin = useUnpin(app);
  return (
    <section className="pinned-banner" role="status" aria-label="Pinned revision">
      <Icon name="pin" size={20} />
      <div className="pinned-text">
        <strong>
          Pinned to <code>{shortSha(pin.revision)}</code>
          {pin.historyId !== undefined ? ` (history #${pin.historyId})` : ''}
        </strong>{' '}
        by {pin.by}, <Ago at={pin.at} />. {pin.reason ? <>Reason: “{pin.reason}”. </> : null}
        <div>
          {automated ? 'Automated sync is holding' : 'Syncs deploy this revision'} until you unpin; then the app follows{' '}
          <code>{targetRevision}</code> again.
        </div>
        {unpin.error ? <div className="pinned-error">{unpin.error.message}</div> : null}
      </div>
      <button
        type="button"
        className="btn"
        onClick={() => unpin.mutate()}
        disabled={unpin.isPending || Boolean(denied)}
        title={denied}
      >
        {unpin.isPending ? 'Unpinning…' : 'Unpin'}
      </button>
    </section>
  );
}
