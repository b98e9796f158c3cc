import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { safeCallbackPath } from '@/lib/domain/http/safe-callback';
import { oidcEnabled, publicUrl, type TEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { deps, webContext } from '../context';
import { authenticateLocalUser } from './authenticate-local-user';
import { endBrowserSession } from './end-browser-session';
import { startBrowserSession } from './start-browser-session';
import { clientIp } from './client-ip';
import { loginLimits } from './login-limits';
import { refuseLogin } from './login-scope';
import { ssoIdentityFromProfile } from './sso-identity-from-profile';
import { sessionJwt } from './session-jwt';
import { upsertSsoUser, type SsoIdentity } from './upsert-sso-user';
import { admitSsoLogin } from './admit-sso-login';

const ZCredentials = z.object({ username: z.string().min(1), password: z.string().min(1) });

function oidcProvider(e: TEnv): NextAuthOptions['providers'][number] | undefined {
  if (!oidcEnabled(e)) return undefined;
  return {
    id: 'oidc',
    name: e.KEELSON_OIDC_NAME,
    type: 'oauth',
    wellKnown: `${e.KEELSON_OIDC_ISSUER!.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: e.KEELSON_OIDC_CLIENT_ID,
    clientSecret: e.KEELSON_OIDC_CLIENT_SECRET,
    authorization: { params: { scope: e.KEELSON_OIDC_SCOPES } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile: (profile: Record<string, unknown>) => ({
      id: String(profile.sub),
      name: typeof profile.name === 'string' ? profile.name : null,
    }),
  };
}

/**
 * The identity an SSO login brings, its groups read from the claims the effective RBAC config's `scopes` names;
 * when the ConfigMap sets no `scopes`, from KEELSON_OIDC_GROUPS_CLAIM (default `groups`, as Argo CD's default).
 */
async function ssoIdentity(account: { provider: string; providerAccountId: string }, profile: unknown, e: TEnv) {
  const config = await deps().access.config();
  const scopes = config.scopesSet ? config.scopes : [e.KEELSON_OIDC_GROUPS_CLAIM];
  return ssoIdentityFromProfile(account.provider, account.providerAccountId, profile, scopes);
}

/** next-auth v4: local users through credentials, SSO through any OIDC issuer, sessions tracked in Postgres. */
export function nextAuthOptions(): NextAuthOptions {
  const { env: e } = webContext();
  const sso = oidcProvider(e);
  return {
    // Session keys are not the sealing keys; the newest signs, older ones verify until their sessions expire.
    secret: webContext().keyring().sessionSecrets()[0],
    jwt: sessionJwt(() => webContext().keyring().sessionSecrets()),
    // `__Secure-`/`__Host-` cookies with the Secure flag whenever the public URL is https.
    useSecureCookies: publicUrl(e).startsWith('https:'),
    session: { strategy: 'jwt', maxAge: e.KEELSON_SESSION_HOURS * 3600 },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Local account',
        credentials: {
          username: { label: 'Username', type: 'text' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(credentials, req) {
          const parsed = ZCredentials.safeParse(credentials);
          if (!parsed.success) return null;
          const ip = clientIp(new Headers(req.headers as Record<string, string>));
          // Counted here, not by URL path: every spelling of the route that reaches this provider counts.
          const user = await authenticateLocalUser(deps(), {
            ...parsed.data,
            ip,
            rateLimit: loginLimits(e),
            client: 'ui',
          }).catch((err: unknown) => {
            if (err instanceof AppError && err.code === 'RATE_LIMITED') refuseLogin(err);
            return null;
          });
          return user ? { id: user.id, name: user.name ?? user.username } : null;
        },
      }),
      ...(sso ? [sso] : []),
    ],
    callbacks: {
      // KEELSON_OIDC_ALLOWED_GROUPS: `false` sends the browser to /login?error=AccessDenied, which explains it.
      async signIn({ account, profile }) {
        if (!account || account.provider === 'credentials') return true;
        const identity: SsoIdentity = await ssoIdentity(account, profile, e);
        return admitSsoLogin(deps(), identity, e.KEELSON_OIDC_ALLOWED_GROUPS).then(
          () => true,
          (err: unknown) => {
            if (err instanceof AppError && err.code === 'FORBIDDEN') return false;
            throw err;
          },
        );
      },
      async jwt({ token, user, account, profile }) {
        if (!account || !user) return token;
        let userId = user.id;
        if (account.provider !== 'credentials') {
          userId = (await upsertSsoUser(deps(), await ssoIdentity(account, profile, e))).id;
        }
        const session = await startBrowserSession(deps(), userId, e.KEELSON_SESSION_HOURS);
        return { sub: userId, sid: session.id, name: token.name };
      },
      session({ session }) {
        return session;
      },
      // After login (SSO included) only our own origin: next-auth's default turns `/\evil.example` into `${baseUrl}/\evil.example`.
      redirect({ url, baseUrl }) {
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).href;
      },
    },
    events: {
      async signOut({ token }) {
        const sid = typeof token?.sid === 'string' ? token.sid : undefined;
        if (!sid) return;
        const username = await endBrowserSession(deps(), sid);
        if (username) await deps().audit.record({ actor: username, via: 'ui', action: 'logout', result: 'success' });
      },
    },
  };
}
