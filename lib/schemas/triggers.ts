import { z } from 'zod';

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
  project: z.string(),
  /** The project role its deliveries act as; null: the implicit one (may only start runs in its project). */
  serviceAccountName: z.string().nullable(),
  provider: z.enum(['github', 'gitlab']),
  pipeline: z.string(),
  filter: z.object({ events: z.array(z.string()), branches: z.array(z.string()) }),
  webhookPath: z.string(),
  secretRef: z.object({ name: z.string(), key: z.string() }),
  updatedAt: z.string(),
  lastDelivery: ZTriggerDelivery.nullable(),
});
export type TTriggerSummary = z.infer<typeof ZTriggerSummary>;
