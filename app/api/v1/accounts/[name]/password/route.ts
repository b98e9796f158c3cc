import { accountContracts } from '@/lib/schemas/contracts/accounts';
import { updatePassword } from '@/lib/server/auth/update-password';
import { deps } from '@/lib/server/context';
import { route } from '../../../../_lib/handler';

export const PUT = route(
  { contract: accountContracts['/api/v1/accounts/{name}/password'].put },
  async ({ principal, params, body, ip }) => {
    await updatePassword(deps(), principal, String(params.name), body, ip);
  },
);
