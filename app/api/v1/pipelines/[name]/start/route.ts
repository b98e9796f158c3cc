import { QUEUES } from '@/lib/adapters/queue/boss';
import { ZStartPipeline } from '@/lib/schemas/pipelines';
import { deps, queue } from '@/lib/server/context';
import { startPipeline } from '@/lib/server/pipeline/start-pipeline';
import { route } from '../../../../_lib/handler';

export const POST = route({ body: ZStartPipeline, status: 201 }, async ({ params, body, principal }) => {
  const run = await startPipeline(deps(), principal, String(params.name), body);
  await (await queue()).send(QUEUES.reconcilePipelineRun, { runId: run.id });
  return run;
});
