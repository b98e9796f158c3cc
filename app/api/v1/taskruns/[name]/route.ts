import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { findAuthorizedTaskRun } from '@/lib/server/pipeline/find-task-run';
import { taskRunResource } from '@/lib/server/pipeline/pipeline-run-resource';
import { route } from '../../../_lib/handler';

export const GET = route(
  { contract: pipelineContracts['/api/v1/taskruns/{name}'].get },
  async ({ params, principal }) => taskRunResource(await findAuthorizedTaskRun(deps(), principal, String(params.name))),
);
