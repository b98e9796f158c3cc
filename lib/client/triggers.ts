'use client';
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from './api';

/** Shapes of GET /api/v1/triggers and GET /api/v1/triggers/{name}/deliveries, as the UI reads them. */
export const ZTriggerDelivery = z.object({
  id: z.string(),
  receivedAt: z.string(),
  event: z.string().nullable(),
  outcome: z.enum(['started', 'filtered', 'rejected', 'error', 'duplicate']),
  httpStatus: z.number().int(),
  reason: z.string().nullable(),
  runName: z.string().nullable(),
  deliveryId: z.string().nullable(),
});
export type TTriggerDelivery = z.infer<typeof ZTriggerDelivery>;

export const ZTriggerSummary = z.object({
  name: z.string(),
  provider: z.enum(['github', 'gitlab']),
  pipeline: z.string(),
  filter: z.object({ events: z.array(z.string()), branches: z.array(z.string()) }),
  webhookPath: z.string(),
  secretRef: z.object({ name: z.string(), key: z.string() }),
  updatedAt: z.string(),
  lastDelivery: ZTriggerDelivery.nullable(),
});
export type TTriggerSummary = z.infer<typeof ZTriggerSummary>;

const ZTriggerList = z.object({ items: z.array(ZTriggerSummary) });
const ZDeliveryList = z.object({ items: z.array(ZTriggerDelivery) });

export const triggerKeys = {
  all: () => ['triggers'] as const,
  deliveries: (name: string, limit: number) => ['triggers', name, 'deliveries', limit] as const,
};

const REFRESH_MS = 3000;

export function useTriggers(initial: TTriggerSummary[]) {
  return useQuery({
    queryKey: triggerKeys.all(),
    queryFn: async () => (await api('/api/v1/triggers', ZTriggerList)).items,
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
}

/** A trigger's newest deliveries, polled so new webhook calls show up while the page is open. */
export function useTriggerDeliveries(name: string, limit: number, initial?: TTriggerDelivery[]) {
  return useQuery({
    queryKey: triggerKeys.deliveries(name, limit),
    queryFn: async () =>
      (await api(`/api/v1/triggers/${encodeURIComponent(name)}/deliveries?limit=${limit}`, ZDeliveryList)).items,
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
}
