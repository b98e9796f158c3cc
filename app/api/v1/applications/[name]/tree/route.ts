import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps } from '@/lib/server/context';
import { getResourceTree } from '@/lib/server/gitops/applications/get-resource-tree';
import { route } from '../../../../_lib/handler';

export const GET = route(
  { contract: applicationContracts['/api/v1/applications/{name}/tree'].get },
  async ({ params, principal }) => getResourceTree(deps(), principal, String(params.name)),
);
