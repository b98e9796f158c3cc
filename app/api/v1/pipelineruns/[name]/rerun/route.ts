import { runControlDeps } from '@/lib/server/context';
import { rerunPipelineRun } from '@/lib/server/pipeline/rerun-pipeline-run';
import { route } from '../../../../_lib/handler';

export const POST = route({ status: 201 }, async ({ params, principal }) =>
  rerunPipelineRun(runControlDeps(), principal, String(params.name)),
);
