import { QUEUES } from '@/lib/adapters/queue/boss';
import { ZCancelRun } from '@/lib/schemas/pipelines';
import { deps, queue } from '@/lib/server/context';
import { cancelPipelineRun } from '@/lib/server/pipeline/control-pipeline-run';
import { route } from '../../../../_lib/handler';

export const POST = route({ body: ZCancelRun }, async ({ params, body, principal }) => {
  const { id } = await cancelPipelineRun(deps(), principal, String(params.name), body.mode);
  await (await queue()).send(QUEUES.reconcilePipelineRun, { runId: id });
  return { name: params.name, mode: body.mode };
});
