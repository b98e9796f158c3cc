'use client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ZApplication,
  ZApplicationList,
  ZHistoryList,
  ZOperationState,
  ZResourceDetail,
  ZResourceDiffs,
  ZResourceTree,
} from '@/lib/schemas/application-responses';
import type {
  TApplication,
  TApplicationList,
  TListApplicationsQuery,
  TRollbackRequest,
  TSyncRequest,
} from '@/lib/schemas/applications';
import { api } from './api';
import { notAllowedTitle, useCanI } from './can-i';
import { queryKeys } from './query-keys';
import { useInvalidating } from './use-invalidating';

export type AppFilter = Partial<
  Pick<TListApplicationsQuery, 'health' | 'sync' | 'cluster' | 'namespace' | 'search'>
> & { limit: number; offset: number };

const LIVE_MS = 1000;
const POLL_MS = 3000;
const appPath = (name: string, rest = '') => `/api/v1/applications/${encodeURIComponent(name)}${rest}`;
const isActive = (phase: string | undefined) => phase === 'Running' || phase === 'Terminating';

export function applicationsQuery(f: AppFilter): string {
  const q = new URLSearchParams({ limit: String(f.limit), offset: String(f.offset) });
  for (const k of ['health', 'sync', 'cluster', 'namespace', 'search'] as const) if (f[k]) q.set(k, f[k]);
  return q.toString();
}

/** One server-side page of applications, polled so status changes show without reload. */
export function useApplications(filter: AppFilter, initial?: TApplicationList) {
  return useQuery({
    queryKey: queryKeys.applications({ ...filter }),
    queryFn: () => api(`/api/v1/applications?${applicationsQuery(filter)}`, ZApplicationList),
    initialData: initial,
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  });
}

/** The app; polls every second while an operation runs. */
export function useApplication(name: string, initial?: TApplication) {
  return useQuery({
    queryKey: queryKeys.application(name),
    queryFn: () => api(appPath(name), ZApplication),
    initialData: initial,
    retry: (count, err) => !(err && 'status' in err && err.status === 404) && count < 2,
    refetchInterval: (q) => (isActive(q.state.data?.status.operationState?.phase) ? LIVE_MS : POLL_MS),
  });
}

/** `version` (the app's reconciledAt) refetches the tree as soon as the app was compared again, so header and tree agree. */
export function useResourceTree(name: string, version?: string) {
  return useQuery({
    queryKey: queryKeys.applicationPart(name, 'tree', version),
    queryFn: () => api(appPath(name, '/tree'), ZResourceTree),
    refetchInterval: POLL_MS,
    placeholderData: (previous) => previous,
  });
}

export function useHistory(name: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.applicationPart(name, 'history'),
    queryFn: async () => (await api(appPath(name, '/history'), ZHistoryList)).items,
    enabled,
    refetchInterval: POLL_MS * 2,
  });
}

export interface ResourceRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export function useResourceDetail(app: string, ref: ResourceRef | null) {
  const q = ref
    ? new URLSearchParams({ group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name }).toString()
    : '';
  return useQuery({
    queryKey: queryKeys.applicationPart(app, 'resource', q),
    queryFn: () => api(appPath(app, `/resource?${q}`), ZResourceDetail),
    enabled: ref !== null,
    refetchInterval: POLL_MS,
  });
}

/** Desired (at a revision, or the current target) against live, per resource. */
export function useAppDiff(app: string, revision: string | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.applicationPart(app, 'diff', revision),
    queryFn: async () => {
      const body = await api(
        appPath(app, revision ? `/diff?revision=${encodeURIComponent(revision)}` : '/diff'),
        ZResourceDiffs,
      );
      return body.resources ?? body.items ?? [];
    },
    enabled,
  });
}

function useAppMutation<I, O>(name: string, fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: queryKeys.application(name) });
      await qc.invalidateQueries({ queryKey: queryKeys.allApplications() });
    },
  });
}

const post = (body?: unknown): RequestInit => ({
  method: 'POST',
  body: body === undefined ? undefined : JSON.stringify(body),
});

export const useRefresh = (name: string) =>
  useAppMutation(name, (hard: boolean) => api(appPath(name, '/refresh'), null, post({ hard })));
export const useSync = (name: string) =>
  useAppMutation(name, (req: Partial<TSyncRequest>) => api(appPath(name, '/sync'), ZOperationState, post(req)));
export const useTerminate = (name: string) =>
  useAppMutation(name, () => api(appPath(name, '/operation'), null, { method: 'DELETE' }));
export const useRollback = (name: string) =>
  useAppMutation(name, (req: Partial<TRollbackRequest> & { id: number }) =>
    api(appPath(name, '/rollback'), null, post(req)),
  );
export const useUnpin = (name: string) => useAppMutation(name, () => api(appPath(name, '/unpin'), null, post()));
export const useDeleteApp = (name: string) =>
  useAppMutation(name, (cascade: boolean) =>
    api(appPath(name, cascade ? '?cascade=true' : '?cascade=false'), null, { method: 'DELETE' }),
  );

/** POST /api/v1/applications with an Argo CD Application document (JSON). */
export const useCreateApplication = () =>
  useInvalidating(queryKeys.allApplications(), (doc: unknown) => api('/api/v1/applications', ZApplication, post(doc)));

/** Why the caller may not do each of an app's actions (undefined when allowed), for disabled buttons' tooltips. */
export interface AppDenials {
  sync?: string;
  delete?: string;
}

/**
 * What the policy lets the caller do on one app (`applications sync|delete <project>/<name>`; rollback, terminate
 * and unpin need sync, as in Argo CD). Until the answers arrive everything reads as not allowed.
 */
export function useAppPermissions(app: { project: string; name: string }): AppDenials {
  const object = `${app.project}/${app.name}`;
  const canI = useCanI([
    { resource: 'applications', action: 'sync', object },
    { resource: 'applications', action: 'delete', object },
  ]);
  const denial = (action: string) =>
    canI.can('applications', action, object) ? undefined : notAllowedTitle(action, 'application');
  return { sync: denial('sync'), delete: denial('delete') };
}
