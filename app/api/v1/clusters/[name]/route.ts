import { gitopsContracts } from '@/lib/schemas/contracts/gitops';
import { deps } from '@/lib/server/context';
import { removeCluster } from '@/lib/server/gitops/remove-cluster';
import { route } from '../../../_lib/handler';

export const DELETE = route(
  { contract: gitopsContracts['/api/v1/clusters/{name}'].delete },
  async ({ params, principal }) => removeCluster(deps(), principal, String(params.name)),
);
