'use client';
import Link from 'next/link';
import type { TApplicationSummary } from '@/lib/schemas/applications';
import { Icon } from '../ui/icons';
import { StateBadge } from '../ui/status-badge';
import { OperationMarker, PinnedMarker, SyncWindowBadge } from './app-badges';
import { destination, repoLabel, shortSha } from './format';
import { DataTable, wide } from '../ui/data-table';
import { Ago } from '../ui/ago';

const appHref = (name: string) => `/applications/${encodeURIComponent(name)}`;

export function AppTiles({ apps }: { apps: TApplicationSummary[] }) {
  return (
    <ul className="app-tiles" aria-label="Applications">
      {apps.map((a) => (
        <li key={a.name} className="app-tile" data-health={a.health}>
          <div className="app-tile-head">
            <Link href={appHref(a.name)} className="app-name">
              {a.name}
            </Link>
            {a.pinned ? <PinnedMarker pin={a.pinned} /> : null}
            <OperationMarker phase={a.operationPhase} />
            <SyncWindowBadge window={a.syncWindow} />
          </div>
          <div className="app-tile-badges">
            <StateBadge kind="health" state={a.health} />
            <StateBadge kind="sync" state={a.sync} />
            {a.automated ? (
              <span className="chip-auto" title="Automated sync">
                auto
              </span>
            ) : null}
            {a.conditions > 0 ? (
              <span className="chip-cond" title="Conditions on this app">
                <Icon name="alert" size={12} /> {a.conditions}
              </span>
            ) : null}
          </div>
          <dl className="app-facts">
            <dt>Repo</dt>
            <dd title={a.repoURL}>{repoLabel(a.repoURL)}</dd>
            <dt>Path</dt>
            <dd>{a.path || '.'}</dd>
            <dt>Revision</dt>
            <dd>
              {a.targetRevision} <span className="muted">@ {shortSha(a.revision)}</span>
            </dd>
            <dt>Destination</dt>
            <dd>{destination(a.cluster, a.namespace)}</dd>
            <dt>Last sync</dt>
            <dd>
              <Ago at={a.lastSyncedAt} />
            </dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}

export function AppsTable({ apps }: { apps: TApplicationSummary[] }) {
  return (
    <DataTable
      label="Applications"
      className="table apps-table"
      columns={['Name', 'Status', wide('Source'), wide('Revision'), wide('Destination'), wide('Last sync')]}
    >
      {apps.map((a) => (
        <tr key={a.name}>
          <td className="cell-wrap">
            <Link href={appHref(a.name)} className="app-name">
              {a.name}
            </Link>{' '}
            {a.pinned ? <PinnedMarker pin={a.pinned} /> : null} <OperationMarker phase={a.operationPhase} />{' '}
            <SyncWindowBadge window={a.syncWindow} />
          </td>
          <td>
            <span className="badge-pair">
              <StateBadge kind="health" state={a.health} />
              <StateBadge kind="sync" state={a.sync} />
            </span>
          </td>
          <td className="hide-sm cell-source">
            <div title={a.repoURL}>{repoLabel(a.repoURL)}</div>
            <div className="muted mono">{a.path || '.'}</div>
          </td>
          <td className="hide-sm mono">
            {a.targetRevision} <span className="muted">@ {shortSha(a.revision)}</span>
          </td>
          <td className="hide-sm">{destination(a.cluster, a.namespace)}</td>
          <td className="hide-sm">
            <Ago at={a.lastSyncedAt} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
