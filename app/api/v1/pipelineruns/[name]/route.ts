import { deps } from '@/lib/server/context';
import { deletePipelineRun } from '@/lib/server/pipeline/delete-pipeline-run';
import { getPipelineRun } from '@/lib/server/pipeline/get-pipeline-run';
import { route } from '../../../_lib/handler';

export const GET = route({}, async ({ params, principal }) => getPipelineRun(deps(), principal, String(params.name)));

export const DELETE = route({}, async ({ params, principal }) =>
  deletePipelineRun(deps(), principal, String(params.name)),
);
