import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { deps } from '@/lib/server/context';
import { listPipelineRuns } from '@/lib/server/pipeline/list-pipeline-runs';
import { route } from '../../_lib/handler';

const ZQuery = z.object({
  pipeline: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

export const GET = route({}, async ({ req, principal }) => {
  const q = ZQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!q.success)
    throw new AppError(
      'BAD_REQUEST',
      `Invalid query: ${q.error.issues[0].path.join('.')}: ${q.error.issues[0].message}`,
      { hint: 'page ≥ 1, limit 1–200.' },
    );
  return listPipelineRuns(deps(), principal, q.data);
});
