import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { deps } from '@/lib/server/context';
import { listDeliveries } from '@/lib/server/pipeline/list-triggers';
import { route } from '../../../../_lib/handler';

export const GET = route(
  { contract: pipelineContracts['/api/v1/triggers/{name}/deliveries'].get },
  async ({ query, params, principal }) => ({
    items: await listDeliveries(deps(), principal, String(params.name), query.limit),
  }),
);
