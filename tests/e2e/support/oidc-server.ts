import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export interface OidcServer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/** The SSO user every e2e login gets, whatever login name is typed at the provider. */
export const SSO_USER = {
  name: 'Sam Sso',
  email: 'sam@example.test',
  preferred_username: 'sam',
  groups: ['platform', 'devs'],
};

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
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, ...SSO_USER }) }),
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
