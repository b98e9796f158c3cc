'use client';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { ZPipelineSummary, type TPipelineSummary } from '@/lib/schemas/pipelines';
import { api } from './api';
import { queryKeys } from './query-keys';

const ZList = z.object({ items: z.array(ZPipelineSummary) });

export function usePipelines(initial: TPipelineSummary[]) {
  return useQuery({
    queryKey: queryKeys.pipelines(),
    queryFn: async () => (await api('/api/v1/pipelines', ZList)).items,
    initialData: initial,
    refetchInterval: 3000,
  });
}
