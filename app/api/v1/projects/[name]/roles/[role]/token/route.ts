import { accessContracts } from '@/lib/schemas/contracts/access';
import { deps } from '@/lib/server/context';
import { createProjectToken } from '@/lib/server/tokens/create-project-token';
import { listProjectTokens } from '@/lib/server/tokens/list-project-tokens';
import { route } from '../../../../../../_lib/handler';

const C = accessContracts['/api/v1/projects/{name}/roles/{role}/token'];

export const GET = route({ contract: C.get }, async ({ params, principal }) =>
  listProjectTokens(deps(), principal, String(params.name), String(params.role)),
);

export const POST = route({ contract: C.post, status: 201 }, async ({ params, body, principal }) =>
  createProjectToken(deps(), principal, String(params.name), String(params.role), body),
);
