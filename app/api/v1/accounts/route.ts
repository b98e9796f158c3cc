import { accountContracts } from '@/lib/schemas/contracts/accounts';
import { createAccount } from '@/lib/server/auth/create-account';
import { listAccounts } from '@/lib/server/auth/list-accounts';
import { deps } from '@/lib/server/context';
import { route } from '../../_lib/handler';

const C = accountContracts['/api/v1/accounts'];

export const GET = route({ contract: C.get }, async ({ principal }) => listAccounts(deps(), principal));

export const POST = route({ contract: C.post, status: 201 }, async ({ principal, body, ip }) =>
  createAccount(deps(), principal, body, ip),
);
