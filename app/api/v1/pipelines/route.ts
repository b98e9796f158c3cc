import { deps } from '@/lib/server/context';
import { listPipelines } from '@/lib/server/pipeline/list-pipelines';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ principal }) => ({ items: await listPipelines(deps(), principal) }));
