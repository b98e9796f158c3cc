'use client';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '@/lib/client/api';
import { useApplication, useAppPermissions, useResourceTree } from '@/lib/client/applications';
import { layoutResourceTree } from '@/lib/domain/gitops/tree-layout';
import { activeAutomation, type TApplication, type TCondition, type TTreeNode } from '@/lib/schemas/applications';
import { ResourceTree } from '../resource-tree/resource-tree';
import { Segmented } from '../ui/choice';
import { EmptyState } from '../ui/empty-state';
import { ErrorAlert } from '../ui/error-alert';
import { Icon } from '../ui/icons';
import { AppHeader } from './app-header';
import { OperationProgress } from './operation-progress';
import { PinnedBanner } from './pinned-banner';
import { ResourcePanel } from './resource-panel';
import { ResourcesTable } from './resources-table';
import '../pipelines/pipelines.css';
import './applications.css';
import { Ago } from '../ui/ago';

const RESOURCE_VIEWS = [
  { value: 'tree', label: 'Tree' },
  { value: 'list', label: 'List' },
] as const;
function Conditions({ conditions }: { conditions: TCondition[] }) {
  if (conditions.length === 0) return null;
  return (
    <section className="conditions" aria-label="Conditions">
      {conditions.map((c) => (
        <div
          key={`${c.type}:${c.message}`}
          className={`condition ${/Warning$/.test(c.type) ? 'condition-warn' : 'condition-error'}`}
          role="alert"
        >
          <Icon name="alert" size={16} />
          <div>
            <strong>{c.type}</strong>{' '}
            <span className="muted">
              <Ago at={c.lastTransitionTime} />
            </span>
            <pre className="condition-msg">{c.message}</pre>
          </div>
        </div>
      ))}
    </section>
  );
}

/** Tree nodes from the tree endpoint, or the app's own resources until it answers. */
function treeNodes(app: TApplication, tree: TTreeNode[] | undefined): TTreeNode[] {
  if (tree) return tree;
  return app.status.resources
    .filter((r) => !r.hook)
    .map((r) => ({ ...r, key: `${r.group}/${r.kind}/${r.namespace}/${r.name}`, parents: [], sync: r.status }));
}

function Resources({ app }: { app: TApplication }) {
  const name = app.metadata.name;
  const tree = useResourceTree(name, app.status.reconciledAt);
  const nodes = useMemo(() => treeNodes(app, tree.data?.nodes), [app, tree.data]);
  const layout = useMemo(() => layoutResourceTree(name, nodes), [name, nodes]);
  const [view, setView] = useState<'tree' | 'list'>('tree');
  const [selected, setSelected] = useState<string | undefined>();
  useEffect(() => {
    if (window.matchMedia('(max-width: 760px)').matches) setView('list');
  }, []);
  const node = nodes.find((n) => n.key === selected);
  const outOfSync = nodes.filter((n) => n.sync === 'OutOfSync').length;
  return (
    <div className={`app-body${node ? ' with-panel' : ''}`}>
      <section className="card card-flush" aria-label="Resources">
        <div className="card-head">
          <h2>
            Resources{' '}
            <span className="muted res-count">
              {nodes.filter((n) => n.parents.length === 0).length} · {outOfSync} out of sync
            </span>
          </h2>
          <Segmented label="Resources view" value={view} onChange={setView} options={RESOURCE_VIEWS} />
        </div>
        <div className="res-body">
          {nodes.length === 0 ? (
            <p className="muted">No resources yet: the app has not been compared, or its path renders nothing.</p>
          ) : view === 'tree' ? (
            tree.data || tree.error ? (
              // Remount when the tree gains or loses columns so the first view fits it again.
              <ResourceTree
                key={Math.max(...layout.nodes.map((n) => n.layer))}
                layout={layout}
                selected={selected}
                onSelect={setSelected}
              />
            ) : (
              <p className="muted">Loading the resource tree…</p>
            )
          ) : (
            <ResourcesTable nodes={nodes} selected={selected} onSelect={setSelected} />
          )}
        </div>
      </section>
      {node ? (
        <ResourcePanel
          key={node.key}
          app={name}
          project={app.spec.project}
          node={node}
          onClose={() => setSelected(undefined)}
        />
      ) : null}
    </div>
  );
}

/** The application page: header, pin, conditions, the running operation and the resources. */
export function AppDetail({ name, initial }: { name: string; initial?: TApplication }) {
  const { data: app, error } = useApplication(name, initial);
  const denied = useAppPermissions({ project: app?.spec.project ?? 'default', name });
  if (!app) {
    if (error instanceof ApiError && error.status === 404)
      return (
        <EmptyState icon="apps" title={`No application ${name}`}>
          It may have been deleted. <Link href="/applications">Back to applications</Link>
        </EmptyState>
      );
    return error ? <ErrorAlert error={error} plain quiet /> : <p className="muted">Loading {name}…</p>;
  }
  const { status, spec } = app;
  const op = status.operationState;
  // A succeeded operation is summed up in the header; one running or failed gets its own card.
  const showOp = op !== undefined && op.phase !== 'Succeeded';
  return (
    <div className="stack">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/applications">Applications</Link> / <span>{name}</span>
      </nav>
      <AppHeader app={app} denied={denied} />
      {status.pinned ? (
        <PinnedBanner
          app={name}
          pin={status.pinned}
          targetRevision={spec.source.targetRevision}
          automated={Boolean(activeAutomation(spec.syncPolicy))}
          denied={denied.sync}
        />
      ) : null}
      <Conditions conditions={status.conditions} />
      {showOp ? (
        <section className="card" aria-label="Operation">
          <h2>Sync operation</h2>
          <OperationProgress op={op} />
        </section>
      ) : null}
      <Resources app={app} />
    </div>
  );
}
