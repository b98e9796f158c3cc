import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps } from '@/lib/server/context';
import { getOperation } from '@/lib/server/gitops/applications/get-operation';
import { terminateOperation } from '@/lib/server/gitops/applications/terminate-operation';
import { route } from '../../../../_lib/handler';

/** One operation by ?id=, else the newest (how `keelson app sync` follows its own operation). */
const C = applicationContracts['/api/v1/applications/{name}/operation'];

export const GET = route({ contract: C.get }, async ({ query, params, principal }) =>
  getOperation(deps(), principal, String(params.name), query.id),
);

/** Terminate the running operation (as `argocd app terminate-op`). */
export const DELETE = route({ contract: C.delete, status: 202 }, async ({ params, principal }) =>
  terminateOperation(deps(), principal, String(params.name)),
);
