import { deps } from '@/lib/server/context';
import { removeCluster } from '@/lib/server/gitops/register-cluster';
import { route } from '../../../_lib/handler';

export const DELETE = route({}, async ({ params, principal }) => removeCluster(deps(), principal, String(params.name)));
