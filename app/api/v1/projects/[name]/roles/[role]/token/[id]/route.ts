import { accessContracts } from '@/lib/schemas/contracts/access';
import { deps } from '@/lib/server/context';
import { deleteProjectToken } from '@/lib/server/tokens/delete-project-token';
import { route } from '../../../../../../../_lib/handler';

export const DELETE = route(
  { contract: accessContracts['/api/v1/projects/{name}/roles/{role}/token/{id}'].delete },
  async ({ params, principal }) => {
    await deleteProjectToken(deps(), principal, String(params.name), String(params.role), String(params.id));
  },
);
