import { ZCreateProjectToken } from '@/lib/schemas/projects';
import { deps } from '@/lib/server/context';
import { createProjectToken } from '@/lib/server/tokens/create-project-token';
import { listProjectTokens } from '@/lib/server/tokens/list-project-tokens';
import { route } from '../../../../../../_lib/handler';

export const GET = route({}, async ({ params, principal }) =>
  listProjectTokens(deps(), principal, String(params.name), String(params.role)),
);

export const POST = route({ body: ZCreateProjectToken, status: 201 }, async ({ params, body, principal }) =>
  createProjectToken(deps(), principal, String(params.name), String(params.role), body),
);
