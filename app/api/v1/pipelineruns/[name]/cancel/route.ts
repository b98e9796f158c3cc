import { ZCancelRun } from '@/lib/schemas/pipelines';
import { runControlDeps } from '@/lib/server/context';
import { cancelPipelineRun } from '@/lib/server/pipeline/cancel-pipeline-run';
import { route } from '../../../../_lib/handler';

export const POST = route({ body: ZCancelRun }, async ({ params, body, principal }) => {
  await cancelPipelineRun(runControlDeps(), principal, String(params.name), body.mode);
  return { name: params.name, mode: body.mode };
});
