import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { runControlDeps } from '@/lib/server/context';
import { cancelPipelineRun } from '@/lib/server/pipeline/cancel-pipeline-run';
import { route } from '../../../../_lib/handler';

export const POST = route(
  { contract: pipelineContracts['/api/v1/pipelineruns/{name}/cancel'].post },
  async ({ params, body, principal }) => {
    await cancelPipelineRun(runControlDeps(), principal, String(params.name), body.mode);
    return { name: params.name, mode: body.mode };
  },
);
