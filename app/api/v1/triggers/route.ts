import { deps } from '@/lib/server/context';
import { listTriggers } from '@/lib/server/pipeline/list-triggers';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ principal }) => ({ items: await listTriggers(deps(), principal) }));
