import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { listPipelineRuns } from '@/lib/server/pipeline/list-pipeline-runs';
import { route } from '../../_lib/handler';

export const GET = route({ contract: pipelineContracts['/api/v1/pipelineruns'].get }, async ({ query, principal }) =>
  listPipelineRuns(deps(), principal, query),
);
