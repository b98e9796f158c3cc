import { systemContracts } from '@/lib/schemas/contracts/system';
import { exchangePasswordForToken } from '@/lib/server/auth/exchange-password-for-token';
import { deps, webContext } from '@/lib/server/context';
import { loginLimits } from '@/lib/server/auth/login-limits';
import { requestClient } from '@/lib/server/audit/principal-client';
import { route } from '../../../_lib/handler';

/** Username and password in, a new API token out (what `keelson login --username` calls). */
export const POST = route(
  { auth: false, contract: systemContracts['/api/v1/session/token'].post, status: 201 },
  async ({ req, body, ip }) =>
    exchangePasswordForToken(deps(), {
      ...body,
      ip,
      rateLimit: loginLimits(webContext().env),
      client: requestClient('token', req.headers.get('user-agent')),
    }),
);
