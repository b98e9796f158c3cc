import { z } from 'zod';
import { deps, secrets } from '@/lib/server/context';
import { getResourceDetail } from '@/lib/server/gitops/applications/get-resource-detail';
import { parseOrThrow } from '@/lib/server/gitops/applications/parse-input';
import { route } from '../../../../_lib/handler';

const ZResourceQuery = z.object({
  group: z.string().default(''),
  kind: z.string({ error: 'give the kind' }).min(1, 'give the kind'),
  namespace: z.string().default(''),
  name: z.string({ error: 'give the name' }).min(1, 'give the name'),
});

export const GET = route({}, async ({ req, params, principal }) => {
  const ref = parseOrThrow(
    ZResourceQuery,
    Object.fromEntries(req.nextUrl.searchParams),
    'Give ?group=&kind=&namespace=&name= of a resource of the app.',
    'query',
  );
  return getResourceDetail(deps(), secrets(), principal, String(params.name), ref);
});
