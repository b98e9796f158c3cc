import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { listTaskRuns } from '@/lib/server/pipeline/list-task-runs';
import { route } from '../../_lib/handler';

export const GET = route({ contract: pipelineContracts['/api/v1/taskruns'].get }, async ({ query, principal }) =>
  listTaskRuns(deps(), principal, query),
);
