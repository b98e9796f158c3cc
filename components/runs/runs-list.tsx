'use client';
import { useEffect, useState } from 'react';
import type { TRunPage } from '@/lib/schemas/pipeline-runs';
import { usePipelineRuns, type RunFilter } from '@/lib/client/pipeline-runs';
import { FilterSelect } from '../ui/choice';
import { EmptyState } from '../ui/empty-state';
import { Pager } from '../ui/pager';
import { RunsTable } from './runs-table';
import '../pipelines/pipelines.css';

const STATUSES = ['Running', 'Queued', 'Succeeded', 'Failed', 'Cancelled'];

function urlFor(f: RunFilter): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.pipeline) q.set('pipeline', f.pipeline);
  if (f.page > 1) q.set('page', String(f.page));
  const s = q.toString();
  return s ? `/runs?${s}` : '/runs';
}

/** Runs across pipelines: status and pipeline filters kept in the URL, server-side paging, live. */
export function RunsList({
  initialFilter,
  initial,
  pipelines,
}: {
  initialFilter: RunFilter;
  initial: TRunPage;
  pipelines: string[];
}) {
  const [filter, setFilter] = useState(initialFilter);
  const { data, isFetching } = usePipelineRuns(filter, initial);
  useEffect(() => {
    const url = urlFor(filter);
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', url);
  }, [filter]);
  const page = data ?? initial;
  const filtered = Boolean(filter.status || filter.pipeline);
  const pages = Math.max(1, Math.ceil(page.total / filter.limit));
  const set = (f: Partial<RunFilter>) => setFilter((s) => ({ ...s, page: 1, ...f }));

  if (page.total === 0 && !filtered) {
    return (
      <EmptyState icon="runs" title="No runs yet" example={'keelson pipeline start NAME --showlog'}>
        Runs started from the dashboard, the CLI, the API or a Git webhook will show here, live, with their status and
        duration.
      </EmptyState>
    );
  }
  const options = filter.pipeline && !pipelines.includes(filter.pipeline) ? [filter.pipeline, ...pipelines] : pipelines;
  const selects = [
    { key: 'status', label: 'Status', all: 'All statuses', options: STATUSES },
    { key: 'pipeline', label: 'Pipeline', all: 'All pipelines', options },
  ] as const;
  return (
    <>
      <div className="filters" role="search" aria-label="Filter runs">
        {selects.map((s) => (
          <FilterSelect
            key={s.key}
            id={`runs-${s.key}`}
            label={s.label}
            all={s.all}
            value={filter[s.key]}
            options={s.options}
            onChange={(v) => set({ [s.key]: v })}
          />
        ))}
        {filtered ? (
          <button type="button" className="btn" onClick={() => set({ status: undefined, pipeline: undefined })}>
            Clear filters
          </button>
        ) : null}
      </div>
      <section className="card card-flush">
        {page.items.length > 0 ? (
          <RunsTable runs={page.items} />
        ) : (
          <p className="muted" style={{ padding: '18px 16px', margin: 0 }}>
            No runs match these filters.
          </p>
        )}
        <Pager
          className="pager"
          testId="runs-total"
          summary={
            page.total === 0
              ? 'No runs'
              : `${(filter.page - 1) * filter.limit + 1}–${Math.min(filter.page * filter.limit, page.total)} of ${page.total}`
          }
          updating={isFetching}
          prev={{
            label: '← Newer',
            disabled: filter.page <= 1,
            onClick: () => setFilter((s) => ({ ...s, page: s.page - 1 })),
          }}
          middle={
            <span className="muted">
              Page {filter.page} of {pages}
            </span>
          }
          next={{
            label: 'Older →',
            disabled: filter.page >= pages,
            onClick: () => setFilter((s) => ({ ...s, page: s.page + 1 })),
          }}
        />
      </section>
    </>
  );
}
