import { deps } from '@/lib/server/context';
import { getAppDiff } from '@/lib/server/gitops/applications/get-app-diff';
import { route } from '../../../../_lib/handler';

export const GET = route({}, async ({ params }) => getAppDiff(deps(), String(params.name)));
