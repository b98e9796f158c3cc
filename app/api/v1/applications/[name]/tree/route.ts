import { deps } from '@/lib/server/context';
import { getResourceTree } from '@/lib/server/gitops/applications/get-resource-tree';
import { route } from '../../../../_lib/handler';

export const GET = route({}, async ({ params, principal }) => getResourceTree(deps(), principal, String(params.name)));
