'use client';
import { ZPipelineSummary, type TPipelineSummary } from '@/lib/schemas/pipelines';
import { queryKeys } from './query-keys';
import { useItems } from './use-items';

export function usePipelines(initial: TPipelineSummary[]) {
  return useItems(
    { key: queryKeys.pipelines(), path: '/api/v1/pipelines', item: ZPipelineSummary, refetchInterval: 3000 },
    initial,
  );
}
