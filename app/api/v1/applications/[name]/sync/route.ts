import { ZSyncRequest } from '@/lib/schemas/applications';
import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps } from '@/lib/server/context';
import { requestSync } from '@/lib/server/gitops/applications/request-sync';
import { route } from '../../../../_lib/handler';

export const POST = route(
  { contract: applicationContracts['/api/v1/applications/{name}/sync'].post, status: 202 },
  async ({ params, body, principal }) =>
    requestSync(deps(), principal, String(params.name), body ?? ZSyncRequest.parse({})),
);
