'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ZAuditList, type TAuditList } from '@/lib/schemas/audit';
import { api } from './api';

/** Settings → Audit's filters, as they stand in the page's URL and in GET /api/v1/audit's query. */
export interface AuditFilter {
  user?: string;
  resource?: string;
  action?: string;
  result?: string;
  /** A duration back from now (1h, 24h, 7d, 30d) or an RFC 3339 time. */
  since?: string;
  offset: number;
  limit: number;
}

/** The filter's query string (no limit: the page size is fixed), empty values left out. */
export function auditQuery(f: AuditFilter, withLimit = false): string {
  const q = new URLSearchParams();
  for (const key of ['user', 'resource', 'action', 'result', 'since'] as const) {
    const v = f[key]?.trim();
    if (v) q.set(key, v);
  }
  if (f.offset > 0) q.set('offset', String(f.offset));
  if (withLimit) q.set('limit', String(f.limit));
  return q.toString();
}

/** One server-side page of the audit log, refreshed every 10 s while shown. */
export function useAuditLog(filter: AuditFilter, initial: TAuditList | null) {
  const query = auditQuery(filter, true);
  return useQuery({
    queryKey: ['audit', query] as const,
    queryFn: () => api(`/api/v1/audit?${query}`, ZAuditList),
    initialData: initial ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
}
