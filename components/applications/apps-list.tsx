'use client';
import { useEffect, useState } from 'react';
import { useApplications, type AppFilter } from '@/lib/client/applications';
import { useClusters } from '@/lib/client/gitops-settings';
import {
  APP_HEALTH,
  SYNC_STATUSES,
  type TApplicationList,
  type THealthStatus,
  type TSyncStatus,
} from '@/lib/schemas/applications';
import { FilterSelect, PlainInput, Segmented } from '../ui/choice';
import { EmptyState } from '../ui/empty-state';
import { Pager } from '../ui/pager';
import { ErrorAlert } from '../ui/error-alert';
import { IconLabel } from '../ui/icons';
import { StateIcon } from '../ui/status-badge';
import { AppsTable, AppTiles } from './apps-views';
import { CLI_EXAMPLE } from './new-app-form';
import '../pipelines/pipelines.css';
import './applications.css';

export type AppView = 'tiles' | 'table';
const EMPTY: TApplicationList = { items: [], total: 0, limit: 50, offset: 0, facets: { health: {}, sync: {} } };

function urlFor(f: AppFilter, view: AppView): string {
  const q = new URLSearchParams();
  for (const k of ['health', 'sync', 'cluster', 'namespace', 'search'] as const) if (f[k]) q.set(k, f[k]);
  if (f.offset > 0) q.set('offset', String(f.offset));
  if (view === 'table') q.set('view', 'table');
  const s = q.toString();
  return s ? `/applications?${s}` : '/applications';
}

function FacetChips<S extends string>({
  label,
  states,
  counts,
  value,
  onChange,
}: {
  label: string;
  states: readonly S[];
  counts: Record<string, number>;
  value?: S;
  onChange: (v?: S) => void;
}) {
  return (
    <div className="facet" role="group" aria-label={label}>
      <span className="facet-label">{label}</span>
      {states.map((s) => (
        <button
          key={s}
          type="button"
          className="fchip"
          aria-pressed={value === s}
          onClick={() => onChange(value === s ? undefined : s)}
        >
          <StateIcon state={s} size={13} title="" />
          {s === 'OutOfSync' ? 'Out of sync' : s}
          <span className="fchip-count">{counts[s] ?? 0}</span>
        </button>
      ))}
    </div>
  );
}

/** Applications: tiles or a table, facet filters and paging in the URL, refreshed every few seconds. */
export function AppsList({
  initialFilter,
  initialView,
  initial,
}: {
  initialFilter: AppFilter;
  initialView: AppView;
  initial: TApplicationList | null;
}) {
  const [filter, setFilter] = useState(initialFilter);
  const [view, setView] = useState(initialView);
  const [search, setSearch] = useState(initialFilter.search ?? '');
  const [namespace, setNamespace] = useState(initialFilter.namespace ?? '');
  const { data, isFetching, error } = useApplications(filter, initial ?? undefined);
  const clusters = useClusters();
  const set = (f: Partial<AppFilter>) => setFilter((s) => ({ ...s, offset: 0, ...f }));
  const applyNamespace = () => {
    if ((namespace.trim() || undefined) !== filter.namespace) set({ namespace: namespace.trim() || undefined });
  };
  useEffect(() => {
    const url = urlFor(filter, view);
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', url);
  }, [filter, view]);
  useEffect(() => {
    const t = setTimeout(
      () => setFilter((s) => ((s.search ?? '') === search ? s : { ...s, offset: 0, search: search || undefined })),
      250,
    );
    return () => clearTimeout(t);
  }, [search]);

  const page = data ?? initial ?? EMPTY;
  const filtered = Boolean(filter.health || filter.sync || filter.cluster || filter.namespace || filter.search);
  if (page.total === 0 && !filtered) {
    return (
      <EmptyState icon="apps" title="No applications yet" example={CLI_EXAMPLE}>
        An application follows a path in a Git repository and keeps a namespace of a Kubernetes cluster in sync with it.
        Register the repository and cluster under Settings, then create one with <strong>New app</strong> (a form, or
        Argo CD Application YAML as is) or from the CLI:
      </EmptyState>
    );
  }
  const from = page.total === 0 ? 0 : filter.offset + 1;
  const to = Math.min(filter.offset + filter.limit, page.total);
  const namespaces = [...new Set(page.items.map((a) => a.namespace))].sort();
  const { facets } = page;
  const setHealth = (health?: THealthStatus) => set({ health });
  const setSync = (sync?: TSyncStatus) => set({ sync });
  const clusterNames = [
    ...new Set([...(clusters.data ?? []).map((c) => c.name), ...(filter.cluster ? [filter.cluster] : [])]),
  ];
  return (
    <>
      <div className="apps-toolbar" role="search" aria-label="Filter applications">
        <PlainInput
          className="input apps-search"
          type="search"
          label="Search by name"
          value={search}
          onChange={setSearch}
        />
        <FilterSelect
          label="Cluster"
          all="All clusters"
          value={filter.cluster}
          options={clusterNames}
          onChange={(cluster) => set({ cluster })}
        />
        <PlainInput
          className="input"
          list="apps-namespaces"
          label="Namespace"
          value={namespace}
          onChange={setNamespace}
          onBlur={applyNamespace}
          onKeyDown={(e) => e.key === 'Enter' && applyNamespace()}
        />
        <datalist id="apps-namespaces">
          {namespaces.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <Segmented<AppView>
          label="View"
          value={view}
          onChange={setView}
          options={[
            { value: 'tiles', title: 'Tiles', label: <IconLabel icon="grid" size={15} text="Tiles" /> },
            { value: 'table', title: 'Table', label: <IconLabel icon="list" size={15} text="Table" /> },
          ]}
        />
      </div>
      <div className="facets">
        <FacetChips
          label="Health"
          states={APP_HEALTH}
          counts={facets.health}
          value={filter.health}
          onChange={setHealth}
        />
        <FacetChips label="Sync" states={SYNC_STATUSES} counts={facets.sync} value={filter.sync} onChange={setSync} />
        {filtered ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => {
              setSearch('');
              setNamespace('');
              set({ health: undefined, sync: undefined, cluster: undefined, namespace: undefined, search: undefined });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      <ErrorAlert error={error} plain prefix="Could not refresh: " />
      {page.items.length === 0 ? (
        <p className="card muted">No applications match these filters.</p>
      ) : view === 'tiles' ? (
        <AppTiles apps={page.items} />
      ) : (
        <section className="card card-flush">
          <AppsTable apps={page.items} />
        </section>
      )}
      <Pager
        className="pager apps-pager"
        testId="apps-total"
        summary={page.total === 0 ? 'No applications' : `${from}–${to} of ${page.total}`}
        updating={isFetching}
        prev={{
          label: '← Previous',
          disabled: filter.offset === 0,
          onClick: () => setFilter((s) => ({ ...s, offset: Math.max(0, s.offset - s.limit) })),
        }}
        next={{
          label: 'Next →',
          disabled: to >= page.total,
          onClick: () => setFilter((s) => ({ ...s, offset: s.offset + s.limit })),
        }}
      />
    </>
  );
}
