import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps } from '@/lib/server/context';
import { requestRefresh } from '@/lib/server/gitops/applications/request-refresh';
import { route } from '../../../../_lib/handler';

export const POST = route(
  { contract: applicationContracts['/api/v1/applications/{name}/refresh'].post, status: 202 },
  async ({ params, body, principal }) => requestRefresh(deps(), principal, String(params.name), body?.hard ?? false),
);
