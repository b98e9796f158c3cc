import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps, secrets } from '@/lib/server/context';
import { getResourceDetail } from '@/lib/server/gitops/applications/get-resource-detail';
import { route } from '../../../../_lib/handler';

export const GET = route(
  { contract: applicationContracts['/api/v1/applications/{name}/resource'].get },
  async ({ query, params, principal }) => getResourceDetail(deps(), secrets(), principal, String(params.name), query),
);
