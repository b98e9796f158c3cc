import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { listPipelines } from '@/lib/server/pipeline/list-pipelines';
import { route } from '../../_lib/handler';

export const GET = route({ contract: pipelineContracts['/api/v1/pipelines'].get }, async ({ principal }) => ({
  items: await listPipelines(deps(), principal),
}));
