'use client';
import { useQuery, type DefinedUseQueryResult, type UseQueryResult } from '@tanstack/react-query';
import type { z } from 'zod';
import { zItems } from '@/lib/schemas/list';
import { api } from './api';

interface ItemsQuery<T> {
  key: readonly unknown[];
  path: string;
  item: z.ZodType<T>;
  refetchInterval?: number;
}

/** A list endpoint (`{ items }`) as a query, seeded with what the server component read. */
export function useItems<T>(q: ItemsQuery<T>, initial: T[]): DefinedUseQueryResult<T[]>;
export function useItems<T>(q: ItemsQuery<T>, initial?: T[]): UseQueryResult<T[]>;
export function useItems<T>({ key, path, item, refetchInterval }: ItemsQuery<T>, initial?: T[]) {
  return useQuery({
    queryKey: key,
    queryFn: async () => (await api(path, zItems(item))).items,
    initialData: initial,
    refetchInterval,
  });
}
