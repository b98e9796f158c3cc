import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { runControlDeps } from '@/lib/server/context';
import { rerunPipelineRun } from '@/lib/server/pipeline/rerun-pipeline-run';
import { route } from '../../../../_lib/handler';

// The body is optional: none (or {}) is a plain rerun.
export const POST = route(
  { status: 201, contract: pipelineContracts['/api/v1/pipelineruns/{name}/rerun'].post },
  async ({ params, principal, body }) =>
    rerunPipelineRun(runControlDeps(), principal, String(params.name), { fromFailed: body?.fromFailed }),
);
