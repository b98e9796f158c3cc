'use client';
import { ZTriggerDelivery, ZTriggerSummary, type TTriggerDelivery, type TTriggerSummary } from '@/lib/schemas/triggers';
import { useItems } from './use-items';

export const triggerKeys = {
  all: () => ['triggers'] as const,
  deliveries: (name: string, limit: number) => ['triggers', name, 'deliveries', limit] as const,
};

const REFRESH_MS = 3000;

export function useTriggers(initial: TTriggerSummary[]) {
  return useItems(
    { key: triggerKeys.all(), path: '/api/v1/triggers', item: ZTriggerSummary, refetchInterval: REFRESH_MS },
    initial,
  );
}

/** A trigger's newest deliveries, polled so new webhook calls show up while the page is open. */
export function useTriggerDeliveries(name: string, limit: number, initial?: TTriggerDelivery[]) {
  return useItems(
    {
      key: triggerKeys.deliveries(name, limit),
      path: `/api/v1/triggers/${encodeURIComponent(name)}/deliveries?limit=${limit}`,
      item: ZTriggerDelivery,
      refetchInterval: REFRESH_MS,
    },
    initial,
  );
}
