import { deps } from '@/lib/server/context';
import { findTaskRun } from '@/lib/server/pipeline/find-task-run';
import { taskRunResource } from '@/lib/server/pipeline/pipeline-run-resource';
import { route } from '../../../_lib/handler';

export const GET = route({}, async ({ params }) => taskRunResource(await findTaskRun(deps(), String(params.name))));
