import { ZCreateTokenInput } from '@/lib/schemas/tokens';
import { deps } from '@/lib/server/context';
import { createApiToken } from '@/lib/server/tokens/create-api-token';
import { listApiTokens } from '@/lib/server/tokens/list-api-tokens';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ principal }) => ({ items: await listApiTokens(deps(), principal) }));

export const POST = route({ body: ZCreateTokenInput, status: 201 }, async ({ principal, body, ip }) =>
  createApiToken(deps(), principal, body, ip),
);
