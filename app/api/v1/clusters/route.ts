import { gitopsContracts } from '@/lib/schemas/contracts/gitops';
import { deps, secrets } from '@/lib/server/context';
import { listClusters } from '@/lib/server/gitops/list-clusters';
import { registerCluster } from '@/lib/server/gitops/register-cluster';
import { route } from '../../_lib/handler';

const C = gitopsContracts['/api/v1/clusters'];

export const GET = route({ contract: C.get }, async ({ principal }) => ({
  items: await listClusters(deps(), principal),
}));

export const POST = route({ contract: C.post, status: 201 }, async ({ body, principal }) =>
  registerCluster(deps(), secrets(), principal, body),
);
