'use client';
import { useQuery } from '@tanstack/react-query';
import { POD_LOG_KINDS, ZPodList, type TPodContainer, type TPodSummary } from '@/lib/schemas/pod-logs';
import { api } from './api';
import { queryKeys } from './query-keys';

export type TLogPod = TPodSummary;
export type { TPodContainer };

/** The kinds whose resource panel has a Logs tab: a Pod itself, or a workload that owns pods. */
export const hasLogs = (kind: string) => (POD_LOG_KINDS as readonly string[]).includes(kind);

export interface LogResource {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** What the stream is asked for; every field is part of the stream's identity, so a change opens a new stream. */
export interface LogStreamOptions {
  podName: string;
  container: string;
  follow: boolean;
  previous: boolean;
  tailLines: number;
  /** 0 = all */
  sinceSeconds: number;
}

const appPath = (app: string, rest: string) => `/api/v1/applications/${encodeURIComponent(app)}${rest}`;

function resourceQuery(r: LogResource): URLSearchParams {
  return new URLSearchParams({ namespace: r.namespace, kind: r.kind, group: r.group, resourceName: r.name });
}

export function podsUrl(app: string, r: LogResource): string {
  return appPath(app, `/pods?${resourceQuery(r).toString()}`);
}

/** The SSE URL. Timestamps are always asked for: the view shows or hides them without a new stream. */
export function logsUrl(app: string, r: LogResource, o: LogStreamOptions): string {
  const q = resourceQuery(r);
  q.set('podName', o.podName);
  q.set('container', o.container);
  q.set('follow', String(o.follow));
  q.set('previous', String(o.previous));
  q.set('timestamps', 'true');
  q.set('tailLines', String(o.tailLines));
  if (o.sinceSeconds > 0) q.set('sinceSeconds', String(o.sinceSeconds));
  return appPath(app, `/logs?${q.toString()}`);
}

const PODS_POLL_MS = 5000;

/** The resource's pods, polled so new pods of a rollout show up in the picker. A 403 or 404 is not retried. */
export function usePods(app: string, r: LogResource) {
  const url = podsUrl(app, r);
  return useQuery({
    queryKey: queryKeys.applicationPart(app, 'pods', url),
    queryFn: () => api(url, ZPodList),
    refetchInterval: PODS_POLL_MS,
    retry: (count, err) => !(err && 'status' in err && (err.status === 403 || err.status === 404)) && count < 2,
  });
}
