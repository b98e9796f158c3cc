import { deps } from '@/lib/server/context';
import { removeCluster } from '@/lib/server/gitops/remove-cluster';
import { route } from '../../../_lib/handler';

export const DELETE = route({}, async ({ params, principal }) => removeCluster(deps(), principal, String(params.name)));
