import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { deps } from '@/lib/server/context';
import { revokeApiToken } from '@/lib/server/tokens/revoke-api-token';
import { route } from '../../../_lib/handler';

export const DELETE = route({}, async ({ principal, params, ip }) => {
  const id = z.string().uuid().safeParse(params.id);
  if (!id.success)
    throw new AppError('BAD_REQUEST', `id: "${String(params.id)}" is not a token id.`, {
      hint: 'Use an id from GET /api/v1/tokens.',
    });
  await revokeApiToken(deps(), principal, id.data, ip);
});
