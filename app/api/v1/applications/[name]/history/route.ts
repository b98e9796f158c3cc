import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps } from '@/lib/server/context';
import { listHistory } from '@/lib/server/gitops/applications/list-history';
import { route } from '../../../../_lib/handler';

export const GET = route(
  { contract: applicationContracts['/api/v1/applications/{name}/history'].get },
  async ({ params, principal }) => listHistory(deps(), principal, String(params.name)),
);
