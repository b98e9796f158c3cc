import { z } from 'zod';

export const ZPipelineSummary = z.object({
  name: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  tasks: z.number().int(),
  lastRun: z
    .object({ name: z.string(), status: z.string(), reason: z.string(), startedAt: z.string().nullable(), completedAt: z.string().nullable(), durationMs: z.number().nullable() })
    .nullable(),
});
export type TPipelineSummary = z.infer<typeof ZPipelineSummary>;
