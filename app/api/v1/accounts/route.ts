import { ZCreateAccount } from '@/lib/schemas/accounts';
import { createAccount } from '@/lib/server/auth/create-account';
import { listAccounts } from '@/lib/server/auth/list-accounts';
import { deps } from '@/lib/server/context';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ principal }) => listAccounts(deps(), principal));

export const POST = route({ body: ZCreateAccount, status: 201 }, async ({ principal, body, ip }) =>
  createAccount(deps(), principal, body, ip),
);
