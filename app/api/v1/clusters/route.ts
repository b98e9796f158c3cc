import { ZAddCluster } from '@/lib/schemas/gitops';
import { deps, secrets } from '@/lib/server/context';
import { listClusters } from '@/lib/server/gitops/list-clusters';
import { registerCluster } from '@/lib/server/gitops/register-cluster';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ principal }) => ({ items: await listClusters(deps(), principal) }));

export const POST = route({ body: ZAddCluster, status: 201 }, async ({ body, principal }) =>
  registerCluster(deps(), secrets(), principal, body),
);
