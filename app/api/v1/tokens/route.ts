import { systemContracts } from '@/lib/schemas/contracts/system';
import { deps } from '@/lib/server/context';
import { createApiToken } from '@/lib/server/tokens/create-api-token';
import { listApiTokens } from '@/lib/server/tokens/list-api-tokens';
import { route } from '../../_lib/handler';

const C = systemContracts['/api/v1/tokens'];

export const GET = route({ contract: C.get }, async ({ principal }) => ({
  items: await listApiTokens(deps(), principal),
}));

export const POST = route({ contract: C.post, status: 201 }, async ({ principal, body, ip }) =>
  createApiToken(deps(), principal, body, ip),
);
