'use client';
import { useRefresh, type AppDenials } from '@/lib/client/applications';
import { activeAutomation, type TApplication } from '@/lib/schemas/applications';
import { Icon, IconLabel } from '../ui/icons';
import { StateBadge, StatusBadge } from '../ui/status-badge';
import { SyncWindowBadge } from './app-badges';
import { DeleteDialog } from './delete-dialog';
import { destination, repoLabel, shortSha, subject } from './format';
import { RollbackDialog } from './rollback-dialog';
import { SyncDialog } from './sync-dialog';
import { Ago } from '../ui/ago';

/** Refresh compares Git with the cluster; Hard refresh also drops the caches. */
const REFRESHES = [
  { hard: false, text: 'Refresh', title: 'Compare Git with the cluster now' },
  { hard: true, text: 'Hard refresh', title: 'Fetch the repo and re-render, ignoring caches' },
] as const;

function Actions({ app, denied }: { app: TApplication; denied: AppDenials }) {
  const name = app.metadata.name;
  const refresh = useRefresh(name);
  return (
    <div className="actions app-actions">
      <SyncDialog app={app} denied={denied.sync} />
      {REFRESHES.map((r) => (
        <button
          key={r.text}
          type="button"
          className="btn"
          onClick={() => refresh.mutate(r.hard)}
          disabled={refresh.isPending}
          title={r.title}
        >
          {r.hard ? r.text : <IconLabel icon="refresh" text={r.text} />}
        </button>
      ))}
      <RollbackDialog app={name} currentRevision={app.status.sync.revision} denied={denied.sync} />
      <DeleteDialog app={name} denied={denied.delete} />
      {refresh.error ? <span className="alert-inline">{refresh.error.message}</span> : null}
    </div>
  );
}

/** Argo CD's `spec.info`: name/value pairs the app's authors want shown; web links open in a new tab. */
function InfoLine({ info }: { info: { name: string; value: string }[] }) {
  return (
    <dl className="app-info" data-testid="app-info">
      {info.map((i) => (
        <div key={i.name}>
          <dt>{i.name}</dt>
          <dd>
            {/^https?:\/\//.test(i.value) ? (
              <a href={i.value} target="_blank" rel="noreferrer noopener">
                {i.value}
              </a>
            ) : (
              i.value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Name, badges, what is deployed from where, the current operation and the actions (`denied`: the policy's no's). */
export function AppHeader({ app, denied }: { app: TApplication; denied: AppDenials }) {
  const { spec, status } = app;
  const auto = activeAutomation(spec.syncPolicy);
  const src = spec.source;
  const dest = spec.destination;
  const op = status.operationState;
  const commit = status.commit;
  return (
    <header className="app-head">
      <div className="app-head-top">
        <div className="head-title">
          <h1>{app.metadata.name}</h1>
          <StateBadge kind="health" state={status.health.status} />
          <StateBadge kind="sync" state={status.sync.status} />
          {auto ? (
            <span
              className="chip-auto"
              title={`prune ${auto.prune ? 'on' : 'off'}, self-heal ${auto.selfHeal ? 'on' : 'off'}`}
            >
              auto-sync
            </span>
          ) : null}
          <SyncWindowBadge window={status.syncWindow} />
        </div>
        <Actions app={app} denied={denied} />
      </div>
      <div className="app-head-grid">
        <div>
          <div className="hg-label">Source</div>
          <div className="hg-value" title={src.repoURL}>
            <Icon name="git" size={14} /> {repoLabel(src.repoURL)}
          </div>
          <div className="hg-sub mono">
            {src.path || '.'} @ {src.targetRevision}
            {status.sourceType ? ` · ${status.sourceType}` : ''}
          </div>
        </div>
        <div>
          <div className="hg-label">Commit</div>
          <div className="hg-value" title={commit?.message}>
            <code data-testid="current-sha">{shortSha(status.sync.revision)}</code> {subject(commit?.message)}
          </div>
          <div className="hg-sub">
            {commit ? (
              <>
                {commit.author} · <Ago at={commit.date} />
              </>
            ) : (
              'not resolved yet'
            )}
          </div>
        </div>
        <div>
          <div className="hg-label">Destination</div>
          <div className="hg-value">
            <Icon name="cluster" size={14} /> {destination(dest.name ?? dest.server ?? '—', dest.namespace)}
          </div>
          <div className="hg-sub">
            compared <Ago at={status.reconciledAt} />
          </div>
        </div>
        <div>
          <div className="hg-label">Last operation</div>
          {op ? (
            <>
              <div className="hg-value">
                <StatusBadge status={op.phase} />{' '}
                <span className="muted">
                  <Ago at={op.finishedAt ?? op.startedAt} />
                </span>
              </div>
              <div className="hg-sub" title={op.message}>
                {op.message || '—'}
              </div>
            </>
          ) : (
            <div className="hg-sub">Never synced</div>
          )}
        </div>
      </div>
      {spec.info?.length ? <InfoLine info={spec.info} /> : null}
      {status.health.message && status.health.status !== 'Healthy' ? (
        <p className="hg-sub">Health: {status.health.message}</p>
      ) : null}
    </header>
  );
}
