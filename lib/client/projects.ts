'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { ZAppliedProject } from '@/lib/schemas/projects';
import { api } from './api';

const YAML = { 'content-type': 'application/yaml' };

/** Mutations that re-render the server page (the project list and window states are read there). */
function useRefreshing<I, O>(fn: (input: I) => Promise<O>) {
  const router = useRouter();
  return useMutation({ mutationFn: fn, onSuccess: () => router.refresh() });
}

/** Applies an AppProject (YAML as written), creating it or replacing its spec. */
export const useApplyProject = () =>
  useRefreshing((yaml: string) =>
    api('/api/v1/projects?upsert=true', ZAppliedProject, { method: 'POST', body: yaml, headers: YAML }),
  );

export const useDeleteProject = () =>
  useRefreshing((name: string) => api(`/api/v1/projects/${encodeURIComponent(name)}`, null, { method: 'DELETE' }));
