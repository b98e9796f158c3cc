'use client';
import { ZApiToken, ZCreatedToken, type TApiToken, type TCreateTokenInput } from '@/lib/schemas/tokens';
import { api } from './api';
import { queryKeys } from './query-keys';
import { useInvalidating } from './use-invalidating';
import { useItems } from './use-items';

export function useTokens(initial: TApiToken[]) {
  return useItems({ key: queryKeys.tokens(), path: '/api/v1/tokens', item: ZApiToken }, initial);
}

export const useCreateToken = () =>
  useInvalidating(queryKeys.tokens(), (input: TCreateTokenInput) =>
    api('/api/v1/tokens', ZCreatedToken, { method: 'POST', body: JSON.stringify(input) }),
  );

export const useRevokeToken = () =>
  useInvalidating(queryKeys.tokens(), (id: string) => api(`/api/v1/tokens/${id}`, null, { method: 'DELETE' }));
