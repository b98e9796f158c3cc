import { QUEUES } from '@/lib/adapters/queue/boss';
import { deps, queue } from '@/lib/server/context';
import { rerunPipelineRun } from '@/lib/server/pipeline/control-pipeline-run';
import { route } from '../../../../_lib/handler';

export const POST = route({ status: 201 }, async ({ params, principal }) => {
  const run = await rerunPipelineRun(deps(), principal, String(params.name));
  await (await queue()).send(QUEUES.reconcilePipelineRun, { runId: run.id });
  return run;
});
