'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { GIT_PROVIDERS, type TGitProvider } from '@/lib/schemas/applications';
import type { TAddCluster, TAddRepository } from '@/lib/schemas/gitops';
import { api } from './api';
import { queryKeys } from './query-keys';

/** GET /api/v1/repositories, /clusters and /settings/webhooks as the settings pages read them. */
export const ZRepository = z.object({
  id: z.string(),
  url: z.string(),
  hasCredentials: z.boolean(),
  createdAt: z.string(),
});
export type TRepository = z.infer<typeof ZRepository>;
export const ZCluster = z.object({
  id: z.string(),
  name: z.string(),
  server: z.string().nullable(),
  serverVersion: z.string().nullable(),
  createdAt: z.string(),
});
export type TCluster = z.infer<typeof ZCluster>;
export const ZWebhookSecret = z.object({
  provider: z.enum(GIT_PROVIDERS),
  configured: z.boolean(),
  updatedAt: z.string().nullish(),
});
export type TWebhookSecret = z.infer<typeof ZWebhookSecret>;

const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const POLL_MS = 5000;

export function useRepositories(initial?: TRepository[]) {
  return useQuery({
    queryKey: queryKeys.repositories(),
    queryFn: async () => (await api('/api/v1/repositories', items(ZRepository))).items,
    initialData: initial,
    refetchInterval: POLL_MS,
  });
}

export function useClusters(initial?: TCluster[]) {
  return useQuery({
    queryKey: queryKeys.clusters(),
    queryFn: async () => (await api('/api/v1/clusters', items(ZCluster))).items,
    initialData: initial,
    refetchInterval: POLL_MS,
  });
}

export function useWebhookSecrets(initial?: TWebhookSecret[]) {
  return useQuery({
    queryKey: queryKeys.webhookSecrets(),
    queryFn: async () => (await api('/api/v1/settings/webhooks', items(ZWebhookSecret))).items,
    initialData: initial,
    refetchInterval: POLL_MS,
  });
}

function useInvalidating<I>(key: readonly unknown[], fn: (input: I) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: key }) });
}

export const useAddRepository = () =>
  useInvalidating(queryKeys.repositories(), (input: TAddRepository) =>
    api('/api/v1/repositories', null, { method: 'POST', body: JSON.stringify(input) }),
  );
export const useRemoveRepository = () =>
  useInvalidating(queryKeys.repositories(), (url: string) =>
    api(`/api/v1/repositories?url=${encodeURIComponent(url)}`, null, { method: 'DELETE' }),
  );
export const useAddCluster = () =>
  useInvalidating(queryKeys.clusters(), (input: TAddCluster) =>
    api('/api/v1/clusters', null, { method: 'POST', body: JSON.stringify(input) }),
  );
export const useRemoveCluster = () =>
  useInvalidating(queryKeys.clusters(), (name: string) =>
    api(`/api/v1/clusters/${encodeURIComponent(name)}`, null, { method: 'DELETE' }),
  );
export const useSetWebhookSecret = () =>
  useInvalidating(queryKeys.webhookSecrets(), ({ provider, secret }: { provider: TGitProvider; secret: string }) =>
    api(`/api/v1/settings/webhooks/${provider}`, null, { method: 'PUT', body: JSON.stringify({ secret }) }),
  );
export const useRemoveWebhookSecret = () =>
  useInvalidating(queryKeys.webhookSecrets(), (provider: TGitProvider) =>
    api(`/api/v1/settings/webhooks/${provider}`, null, { method: 'DELETE' }),
  );
