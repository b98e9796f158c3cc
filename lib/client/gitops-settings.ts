'use client';
import type { TGitProvider } from '@/lib/schemas/applications';
import {
  ZCluster,
  ZRepository,
  ZWebhookSecret,
  type TAddCluster,
  type TAddRepository,
  type TCluster,
  type TRepository,
  type TWebhookSecret,
} from '@/lib/schemas/gitops';
import { api } from './api';
import { queryKeys } from './query-keys';
import { useInvalidating } from './use-invalidating';
import { useItems } from './use-items';

const POLL_MS = 5000;

export function useRepositories(initial?: TRepository[]) {
  return useItems(
    { key: queryKeys.repositories(), path: '/api/v1/repositories', item: ZRepository, refetchInterval: POLL_MS },
    initial,
  );
}

export function useClusters(initial?: TCluster[]) {
  return useItems(
    { key: queryKeys.clusters(), path: '/api/v1/clusters', item: ZCluster, refetchInterval: POLL_MS },
    initial,
  );
}

export function useWebhookSecrets(initial?: TWebhookSecret[]) {
  return useItems(
    {
      key: queryKeys.webhookSecrets(),
      path: '/api/v1/settings/webhooks',
      item: ZWebhookSecret,
      refetchInterval: POLL_MS,
    },
    initial,
  );
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
