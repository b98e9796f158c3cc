import { deps } from '@/lib/server/context';
import { deleteProjectToken } from '@/lib/server/tokens/delete-project-token';
import { route } from '../../../../../../../_lib/handler';

export const DELETE = route({}, async ({ params, principal }) => {
  await deleteProjectToken(deps(), principal, String(params.name), String(params.role), String(params.id));
});
