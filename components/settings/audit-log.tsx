'use client';
import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { auditQuery, useAuditLog, type AuditFilter } from '@/lib/client/audit';
import type { TAuditEntry, TAuditList } from '@/lib/schemas/audit';
import { FilterSelect } from '../ui/choice';
import { DataTable, Dash, TableCard, wide } from '../ui/data-table';
import { ErrorAlert } from '../ui/error-alert';
import { FieldBox } from '../ui/field';
import { Pager } from '../ui/pager';
import { StatusBadge } from '../ui/status-badge';
import { AuditDetails } from './audit-details';
import '../pipelines/pipelines.css';
import './audit-log.css';

const RESOURCES = [
  'application',
  'cluster',
  'repository',
  'project',
  'account',
  'pipeline',
  'pipelinerun',
  'trigger',
  'token',
  'webhook-secret',
];
const RANGES = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const hasDetails = (e: TAuditEntry) => Boolean(e.ip || (e.details && Object.keys(e.details).length > 0));

/** Settings → Audit: who did what, via what; filters in the URL, paged on the server, details expandable. */
export function AuditLog({ initialFilter, initial }: { initialFilter: AuditFilter; initial: TAuditList | null }) {
  const [filter, setFilter] = useState(initialFilter);
  const [draft, setDraft] = useState({ user: filter.user ?? '', action: filter.action ?? '' });
  const [open, setOpen] = useState<string | null>(null);
  const first = auditQuery(filter) === auditQuery(initialFilter);
  const { data, isFetching, error } = useAuditLog(filter, first ? initial : null);
  useEffect(() => {
    const q = auditQuery(filter);
    const url = q ? `/settings/audit?${q}` : '/settings/audit';
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', url);
  }, [filter]);
  const set = (f: Partial<AuditFilter>) => setFilter((s) => ({ ...s, offset: 0, ...f }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    set({ user: draft.user.trim() || undefined, action: draft.action.trim() || undefined });
  };
  const page = data ?? { items: [], total: 0, limit: filter.limit, offset: filter.offset };
  const filtered = Boolean(filter.user || filter.resource || filter.action || filter.result || filter.since);
  const range = RANGES.find((r) => r.value === filter.since);
  return (
    <>
      <form className="filters audit-filters" role="search" aria-label="Filter the audit log" onSubmit={apply}>
        <FieldBox id="audit-user" label="User">
          <input
            id="audit-user"
            className="input"
            value={draft.user}
            placeholder="admin, proj:team:ci…"
            onChange={(e) => setDraft((d) => ({ ...d, user: e.target.value }))}
          />
        </FieldBox>
        <FilterSelect
          id="audit-resource"
          label="Resource"
          all="All resources"
          value={filter.resource}
          options={RESOURCES}
          onChange={(v) => set({ resource: v })}
        />
        <FieldBox id="audit-action" label="Action">
          <input
            id="audit-action"
            className="input"
            value={draft.action}
            placeholder="sync, application.update…"
            onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))}
          />
        </FieldBox>
        <FieldBox id="audit-since" label="Time">
          <select
            id="audit-since"
            className="input"
            value={filter.since ?? ''}
            onChange={(e) => set({ since: e.target.value || undefined })}
          >
            <option value="">Any time</option>
            {!range && filter.since ? <option value={filter.since}>Since {filter.since}</option> : null}
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </FieldBox>
        <FilterSelect
          id="audit-result"
          label="Result"
          all="Any result"
          value={filter.result}
          options={['success', 'failure']}
          onChange={(v) => set({ result: v })}
        />
        <button type="submit" className="btn">
          Apply
        </button>
        {filtered ? (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft({ user: '', action: '' });
              set({ user: undefined, resource: undefined, action: undefined, result: undefined, since: undefined });
            }}
          >
            Clear filters
          </button>
        ) : null}
      </form>
      <ErrorAlert error={error} />
      <TableCard>
        <DataTable
          label="Audit log"
          className="table audit-table"
          columns={['Time', 'Who', wide('Via'), 'Action', wide('Object'), wide('Result'), '']}
        >
          {page.items.map((e) => (
            <Fragment key={e.id}>
              <tr>
                <td className="audit-time">
                  <time dateTime={e.at} suppressHydrationWarning>
                    {when(e.at)}
                  </time>
                </td>
                <td className="audit-who">
                  {e.actor}
                  {e.via ? <span className="audit-sm muted">via {e.via}</span> : null}
                </td>
                <td className="hide-sm">{e.via ?? <Dash />}</td>
                <td className="mono">
                  {e.action}
                  {e.target ? <span className="audit-sm muted">{e.target}</span> : null}
                  <span className="audit-sm">
                    <StatusBadge status={e.result === 'success' ? 'Succeeded' : 'Failed'} label={e.result} />
                  </span>
                </td>
                <td className="hide-sm mono">{e.target ?? <Dash />}</td>
                <td className="hide-sm">
                  <StatusBadge status={e.result === 'success' ? 'Succeeded' : 'Failed'} label={e.result} />
                </td>
                <td style={{ textAlign: 'right' }}>
                  {hasDetails(e) ? (
                    <button
                      type="button"
                      className="btn audit-toggle"
                      aria-expanded={open === e.id}
                      onClick={() => setOpen((o) => (o === e.id ? null : e.id))}
                    >
                      {open === e.id ? 'Hide' : 'Details'}
                    </button>
                  ) : null}
                </td>
              </tr>
              {open === e.id ? (
                <tr className="audit-details-row">
                  <td colSpan={7}>
                    <AuditDetails entry={e} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </DataTable>
        {page.items.length === 0 ? (
          <p className="muted" style={{ padding: '18px 16px', margin: 0 }}>
            {filtered ? 'No audit rows match these filters.' : 'No audit rows yet.'}
          </p>
        ) : null}
        <Pager
          className="pager"
          testId="audit-total"
          summary={
            page.total === 0
              ? 'No rows'
              : `${page.offset + 1}–${Math.min(page.offset + page.items.length, page.total)} of ${page.total}`
          }
          updating={isFetching}
          prev={{
            label: '← Newer',
            disabled: filter.offset <= 0,
            onClick: () => setFilter((s) => ({ ...s, offset: Math.max(0, s.offset - s.limit) })),
          }}
          next={{
            label: 'Older →',
            disabled: filter.offset + filter.limit >= page.total,
            onClick: () => setFilter((s) => ({ ...s, offset: s.offset + s.limit })),
          }}
        />
      </TableCard>
    </>
  );
}
