import { deps } from '@/lib/server/context';
import { getOperation } from '@/lib/server/gitops/applications/get-operation';
import { terminateOperation } from '@/lib/server/gitops/applications/terminate-operation';
import { route } from '../../../../_lib/handler';

/** One operation by ?id=, else the newest (how `keelson app sync` follows its own operation). */
export const GET = route({}, async ({ req, params, principal }) =>
  getOperation(deps(), principal, String(params.name), req.nextUrl.searchParams.get('id') ?? undefined),
);

/** Terminate the running operation (as `argocd app terminate-op`). */
export const DELETE = route({ status: 202 }, async ({ params, principal }) =>
  terminateOperation(deps(), principal, String(params.name)),
);
