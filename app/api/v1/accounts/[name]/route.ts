import { deleteAccount } from '@/lib/server/auth/delete-account';
import { getAccount } from '@/lib/server/auth/get-account';
import { deps } from '@/lib/server/context';
import { route } from '../../../_lib/handler';

export const GET = route({}, async ({ principal, params }) => getAccount(deps(), principal, String(params.name)));

export const DELETE = route({}, async ({ principal, params, ip }) => {
  await deleteAccount(deps(), principal, String(params.name), ip);
});
