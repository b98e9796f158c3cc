import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export interface OidcServer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/** The SSO user an e2e login gets for any login name but those below (ssoUserFor). */
export const SSO_USER = {
  name: 'Sam Sso',
  email: 'sam@example.test',
  preferred_username: 'sam',
  groups: ['platform', 'devs'],
};

/** Signs in as an SSO user from a read-only group: type `viewer` as the login name at the provider. */
export const VIEWER_USER = {
  name: 'Vera Viewer',
  email: 'vera@example.test',
  preferred_username: 'vera',
  groups: ['viewers'],
};

/** In no group KEELSON_OIDC_ALLOWED_GROUPS lets in (global-setup): type `outsider` as the login name. */
export const OUTSIDER_USER = {
  name: 'Olive Outsider',
  email: 'olive@example.test',
  preferred_username: 'olive',
  groups: ['strangers'],
};

/** The groups global-setup puts in KEELSON_OIDC_ALLOWED_GROUPS: SSO_USER's and VIEWER_USER's, not OUTSIDER_USER's. */
export const ALLOWED_GROUPS = ['platform', 'devs', 'viewers'];

/** The claims for a login name typed at the provider: `viewer…` and `outsider…` are those users, anything else SSO_USER. */
export function ssoUserFor(login: string) {
  if (login.startsWith('viewer')) return VIEWER_USER;
  if (login.startsWith('outsider')) return OUTSIDER_USER;
  return SSO_USER;
}

/** A real OpenID Connect provider (the `oidc-provider` package) on a loopback port, with one client. */
export async function startOidcServer(port: number, redirectUri: string): Promise<OidcServer> {
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'keelson-e2e';
  const clientSecret = 'keelson-e2e-secret-value';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], groups: ['groups'] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, ...ssoUserFor(id) }) }),
    features: { devInteractions: { enabled: true } },
    // Tokens carry the claims directly, as most enterprise providers do.
    conformIdTokenClaims: false,
  });
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
