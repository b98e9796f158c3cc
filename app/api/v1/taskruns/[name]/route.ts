import { deps } from '@/lib/server/context';
import { findAuthorizedTaskRun } from '@/lib/server/pipeline/find-task-run';
import { taskRunResource } from '@/lib/server/pipeline/pipeline-run-resource';
import { route } from '../../../_lib/handler';

export const GET = route({}, async ({ params, principal }) =>
  taskRunResource(await findAuthorizedTaskRun(deps(), principal, String(params.name))),
);
