import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { deletePipeline } from '@/lib/server/pipeline/delete-pipeline';
import { getPipeline } from '@/lib/server/pipeline/get-pipeline';
import { route } from '../../../_lib/handler';

const C = pipelineContracts['/api/v1/pipelines/{name}'];

export const GET = route({ contract: C.get }, async ({ params, principal }) =>
  getPipeline(deps(), principal, String(params.name)),
);

export const DELETE = route({ contract: C.delete }, async ({ params, principal }) =>
  deletePipeline(deps(), principal, String(params.name)),
);
