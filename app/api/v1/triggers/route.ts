import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { listTriggers } from '@/lib/server/pipeline/list-triggers';
import { route } from '../../_lib/handler';

export const GET = route({ contract: pipelineContracts['/api/v1/triggers'].get }, async ({ principal }) => ({
  items: await listTriggers(deps(), principal),
}));
