'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ZApiToken, ZCreatedToken, type TApiToken, type TCreateTokenInput } from '@/lib/schemas/tokens';
import { api } from './api';
import { queryKeys } from './query-keys';
import { useItems } from './use-items';

export function useTokens(initial: TApiToken[]) {
  return useItems({ key: queryKeys.tokens(), path: '/api/v1/tokens', item: ZApiToken }, initial);
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TCreateTokenInput) =>
      api('/api/v1/tokens', ZCreatedToken, { method: 'POST', body: JSON.stringify(input) }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.tokens() }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/v1/tokens/${id}`, null, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.tokens() }),
  });
}
