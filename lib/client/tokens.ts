'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ZApiToken, ZCreatedToken, type TApiToken, type TCreateTokenInput } from '@/lib/schemas/tokens';
import { api } from './api';
import { queryKeys } from './query-keys';

const ZList = z.object({ items: z.array(ZApiToken) });

export function useTokens(initial: TApiToken[]) {
  return useQuery({
    queryKey: queryKeys.tokens(),
    queryFn: async () => (await api('/api/v1/tokens', ZList)).items,
    initialData: initial,
  });
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
