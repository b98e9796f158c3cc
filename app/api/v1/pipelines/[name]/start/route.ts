import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { runControlDeps } from '@/lib/server/context';
import { startPipeline } from '@/lib/server/pipeline/start-pipeline';
import { route } from '../../../../_lib/handler';

export const POST = route(
  { contract: pipelineContracts['/api/v1/pipelines/{name}/start'].post, status: 201 },
  async ({ params, body, principal }) => startPipeline(runControlDeps(), principal, String(params.name), body),
);
