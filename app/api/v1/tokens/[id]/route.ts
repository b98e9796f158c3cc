import { systemContracts } from '@/lib/schemas/contracts/system';
import { deps } from '@/lib/server/context';
import { revokeApiToken } from '@/lib/server/tokens/revoke-api-token';
import { route } from '../../../_lib/handler';

/** A malformed id is a 400 from the contract's path schema (a UUID). */
export const DELETE = route(
  { contract: systemContracts['/api/v1/tokens/{id}'].delete },
  async ({ principal, params, ip }) => {
    await revokeApiToken(deps(), principal, String(params.id), ip);
  },
);
