'use client';
import { useEffect, useState } from 'react';
import { useResourceDetail, type ResourceRef } from '@/lib/client/applications';
import { hasLogs } from '@/lib/client/pod-logs';
import type { TTreeNode } from '@/lib/schemas/applications';
import { DiffView } from '../diff-view/diff-view';
import { ErrorAlert } from '../ui/error-alert';
import { StateBadge } from '../ui/status-badge';
import { Ago } from '../ui/ago';
import { ResourceLogs } from './resource-logs/resource-logs';

const TABS = ['Summary', 'Live manifest', 'Desired manifest', 'Diff', 'Events', 'Logs'] as const;
type Tab = (typeof TABS)[number];

function Manifest({ text, missing }: { text?: string; missing: string }) {
  return text ? <pre className="code-block rp-code">{text}</pre> : <p className="muted">{missing}</p>;
}

/** The side panel for one resource of the tree: summary, both manifests, their diff, events, and a pod's logs. */
export function ResourcePanel({
  app,
  project,
  node,
  onClose,
}: {
  app: string;
  project: string;
  node: TTreeNode;
  onClose: () => void;
}) {
  const [tab, setTab] = useState<Tab>(node.sync === 'OutOfSync' ? 'Diff' : 'Summary');
  const tabs = TABS.filter((t) => t !== 'Logs' || hasLogs(node.kind));
  const ref: ResourceRef = { group: node.group, kind: node.kind, namespace: node.namespace, name: node.name };
  const { data, error, isPending } = useResourceDetail(app, ref);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !document.querySelector('dialog[open]') && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside
      className={`card resource-panel${tab === 'Logs' ? ' rp-wide' : ''}`}
      aria-label={`${node.kind} ${node.name}`}
      data-testid="resource-panel"
    >
      <div className="rp-head">
        <div style={{ minWidth: 0 }}>
          <div className="muted rp-kind">{node.group ? `${node.group}/${node.kind}` : node.kind}</div>
          <h2 className="rp-name">{node.name}</h2>
        </div>
        <button type="button" className="panel-close" aria-label="Close panel" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="rp-badges">
        {node.health ? <StateBadge kind="health" state={node.health.status} /> : null}
        {node.sync ? <StateBadge kind="sync" state={node.sync} /> : null}
        {node.requiresPrune ? <span className="chip-cond">requires prune</span> : null}
      </div>
      <div className="rp-tabs" role="tablist" aria-label="Resource">
        {tabs.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="rp-body">
        {tab === 'Logs' ? null : <ErrorAlert error={error} plain />}
        {tab === 'Logs' ? (
          <ResourceLogs app={app} project={project} resource={ref} />
        ) : tab === 'Summary' ? (
          <dl className="kv">
            <dt>Kind</dt>
            <dd>{node.kind}</dd>
            <dt>Namespace</dt>
            <dd>{node.namespace || '—'}</dd>
            <dt>Version</dt>
            <dd>{node.group ? `${node.group}/${node.version}` : node.version}</dd>
            {node.health?.message ? (
              <>
                <dt>Health</dt>
                <dd>{node.health.message}</dd>
              </>
            ) : null}
            {node.createdAt ? (
              <>
                <dt>Created</dt>
                <dd>
                  <Ago at={node.createdAt} />
                </dd>
              </>
            ) : null}
            {(node.info ?? []).map((i) => (
              <dd key={i} style={{ gridColumn: '1 / -1' }}>
                {i}
              </dd>
            ))}
          </dl>
        ) : isPending ? (
          <p className="muted">Loading…</p>
        ) : tab === 'Live manifest' ? (
          <Manifest text={data?.liveManifest} missing="Not in the cluster." />
        ) : tab === 'Desired manifest' ? (
          <Manifest
            text={data?.desiredManifest}
            missing={node.parents.length > 0 ? 'Created by its owner, not from Git.' : 'Not in Git (requires prune).'}
          />
        ) : tab === 'Diff' ? (
          <DiffView diff={data?.diff ?? ''} />
        ) : (data?.events ?? []).length === 0 ? (
          <p className="muted">No events.</p>
        ) : (
          <table className="table rp-events">
            <tbody>
              {data?.events.map((e, i) => (
                <tr key={i}>
                  <td>
                    <span className={e.type === 'Warning' ? 'ev-warn' : 'muted'}>{e.reason}</span>
                    {e.count > 1 ? <span className="muted"> ×{e.count}</span> : null}
                    <div>{e.message}</div>
                  </td>
                  <td className="muted" style={{ whiteSpace: 'nowrap' }}>
                    <Ago at={e.lastTimestamp} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </aside>
  );
}
