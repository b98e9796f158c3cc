import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { deps } from '@/lib/server/context';
import { listDeliveries } from '@/lib/server/pipeline/list-triggers';
import { route } from '../../../../_lib/handler';

const ZQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const GET = route({}, async ({ req, params, principal }) => {
  const q = ZQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!q.success)
    throw new AppError(
      'BAD_REQUEST',
      `Invalid query: ${q.error.issues[0].path.join('.')}: ${q.error.issues[0].message}`,
      { hint: 'limit 1–200.' },
    );
  return { items: await listDeliveries(deps(), principal, String(params.name), q.data.limit) };
});
