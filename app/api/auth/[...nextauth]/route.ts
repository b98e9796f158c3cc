import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { clientIp } from '@/lib/server/auth/client-ip';
import { countLoginAttempt } from '@/lib/server/auth/count-login-attempt';
import { deps } from '@/lib/server/context';
import { loginLimits } from '@/lib/server/auth/login-limits';
import { nextAuthOptions } from '@/lib/server/auth/next-auth-options';
import { errorResponse } from '../../_lib/error-response';

type Ctx = { params: Promise<{ nextauth: string[] }> };

function handler(req: NextRequest, ctx: Ctx) {
  return NextAuth(nextAuthOptions())(req, ctx);
}

/** Counts credential logins against the rate limit before next-auth sees them, so excess gets a real 429. */
async function post(req: NextRequest, ctx: Ctx) {
  if (req.nextUrl.pathname.endsWith('/callback/credentials')) {
    const form = await req.clone().formData().catch(() => undefined);
    const username = String(form?.get('username') ?? '');
    try {
      await countLoginAttempt(deps(), { ip: clientIp(req.headers), username, limit: loginLimits() });
    } catch (err) {
      return errorResponse(err);
    }
  }
  return handler(req, ctx);
}

export { handler as GET, post as POST };
