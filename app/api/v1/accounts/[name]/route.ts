import { accountContracts } from '@/lib/schemas/contracts/accounts';
import { deleteAccount } from '@/lib/server/auth/delete-account';
import { getAccount } from '@/lib/server/auth/get-account';
import { deps } from '@/lib/server/context';
import { route } from '../../../_lib/handler';

const C = accountContracts['/api/v1/accounts/{name}'];

export const GET = route({ contract: C.get }, async ({ principal, params }) =>
  getAccount(deps(), principal, String(params.name)),
);

export const DELETE = route({ contract: C.delete }, async ({ principal, params, ip }) => {
  await deleteAccount(deps(), principal, String(params.name), ip);
});
