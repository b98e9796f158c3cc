import { accessContracts } from '@/lib/schemas/contracts/access';
import { listProjectWindows } from '@/lib/server/access/list-project-windows';
import { deps } from '@/lib/server/context';
import { route } from '../../../../_lib/handler';

export const GET = route(
  { contract: accessContracts['/api/v1/projects/{name}/windows'].get },
  async ({ params, principal }) => listProjectWindows(deps(), principal, String(params.name)),
);
