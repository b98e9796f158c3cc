import { deps } from '@/lib/server/context';
import { deletePipeline } from '@/lib/server/pipeline/delete-pipeline';
import { getPipeline } from '@/lib/server/pipeline/get-pipeline';
import { route } from '../../../_lib/handler';

export const GET = route({}, async ({ params, principal }) => getPipeline(deps(), principal, String(params.name)));

export const DELETE = route({}, async ({ params, principal }) =>
  deletePipeline(deps(), principal, String(params.name)),
);
