import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { deletePipelineRun } from '@/lib/server/pipeline/delete-pipeline-run';
import { getPipelineRun } from '@/lib/server/pipeline/get-pipeline-run';
import { route } from '../../../_lib/handler';

const C = pipelineContracts['/api/v1/pipelineruns/{name}'];

export const GET = route({ contract: C.get }, async ({ params, principal }) =>
  getPipelineRun(deps(), principal, String(params.name)),
);

export const DELETE = route({ contract: C.delete }, async ({ params, principal }) =>
  deletePipelineRun(deps(), principal, String(params.name)),
);
