'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ZPipelineRun, ZRunPage, isRunFinished, type TPipelineRun, type TRunPage } from '@/lib/schemas/pipeline-runs';
import {
  ZCreatedRun,
  ZPipelineDetail,
  type TCancelMode,
  type TPipelineDetail,
  type TStartPipeline,
} from '@/lib/schemas/pipelines';
import { api } from './api';
import { queryKeys } from './query-keys';
import { useInvalidating } from './use-invalidating';

const LIVE_MS = 1000;
const IDLE_MS = 5000;
const runPath = (name: string, rest = '') => `/api/v1/pipelineruns/${encodeURIComponent(name)}${rest}`;

export interface RunFilter {
  pipeline?: string;
  status?: string;
  page: number;
  limit: number;
}

function runsPath(f: RunFilter): string {
  const q = new URLSearchParams({ page: String(f.page), limit: String(f.limit) });
  if (f.pipeline) q.set('pipeline', f.pipeline);
  if (f.status) q.set('status', f.status);
  return `/api/v1/pipelineruns?${q}`;
}

export function usePipeline(name: string, initial: TPipelineDetail) {
  return useQuery({
    queryKey: queryKeys.pipeline(name),
    queryFn: () => api(`/api/v1/pipelines/${encodeURIComponent(name)}`, ZPipelineDetail),
    initialData: initial,
    refetchInterval: 10_000,
  });
}

/** One server-side page of runs; polls fast while any run on it is still going. */
export function usePipelineRuns(filter: RunFilter, initial?: TRunPage) {
  const key = { pipeline: filter.pipeline, status: filter.status, page: filter.page, limit: filter.limit };
  return useQuery({
    queryKey: queryKeys.runs(key),
    queryFn: () => api(runsPath(filter), ZRunPage),
    initialData: initial,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'Unknown') ? LIVE_MS : IDLE_MS),
  });
}

export function usePipelineRun(name: string, initial: TPipelineRun) {
  return useQuery({
    queryKey: queryKeys.run(name),
    queryFn: () => api(runPath(name), ZPipelineRun),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && isRunFinished(q.state.data) ? IDLE_MS : LIVE_MS),
  });
}

export const useStartPipeline = (name: string) =>
  useInvalidating(queryKeys.allRuns(), (input: TStartPipeline) =>
    api(`/api/v1/pipelines/${encodeURIComponent(name)}/start`, ZCreatedRun, {
      method: 'POST',
      body: JSON.stringify(input),
    }),
  );

export const useCancelRun = (name: string) =>
  useInvalidating(queryKeys.run(name), (mode: TCancelMode) =>
    api(runPath(name, '/cancel'), null, { method: 'POST', body: JSON.stringify({ mode }) }),
  );

export const useRerun = (name: string) =>
  useInvalidating(queryKeys.allRuns(), () => api(runPath(name, '/rerun'), ZCreatedRun, { method: 'POST' }));

/** "Rerun failed tasks": a new run that reuses what succeeded and runs only the rest (and finally). */
export const useRerunFromFailed = (name: string) =>
  useInvalidating(queryKeys.allRuns(), () =>
    api(runPath(name, '/rerun'), ZCreatedRun, { method: 'POST', body: JSON.stringify({ fromFailed: true }) }),
  );

export const useDeleteRun = (name: string) =>
  useInvalidating(queryKeys.allRuns(), () => api(runPath(name), null, { method: 'DELETE' }));
