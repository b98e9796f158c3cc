import { ZUpdatePassword } from '@/lib/schemas/accounts';
import { updatePassword } from '@/lib/server/auth/update-password';
import { deps } from '@/lib/server/context';
import { route } from '../../../../_lib/handler';

export const PUT = route({ body: ZUpdatePassword }, async ({ principal, params, body, ip }) => {
  await updatePassword(deps(), principal, String(params.name), body, ip);
});
