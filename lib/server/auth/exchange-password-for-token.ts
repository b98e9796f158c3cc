import type { TCreatedToken, TPasswordLogin } from '@/lib/schemas/tokens';
import type { AuthDeps } from './ports';
import { createApiToken } from '../tokens/create-api-token';
import { authenticateLocalUser } from './authenticate-local-user';
import { principalOfUser } from './principal-of-user';
import type { LoginLimits } from './count-login-attempt';
import type { PrincipalClient } from '../principal';

/** `keelson login --username`: a local user's password buys a fresh API token, as `argocd login` does. */
export async function exchangePasswordForToken(
  deps: AuthDeps,
  input: TPasswordLogin & { ip: string; rateLimit: LoginLimits; client?: PrincipalClient },
): Promise<TCreatedToken> {
  const user = await authenticateLocalUser(deps, input);
  const principal = { ...principalOfUser(user, 'token'), client: input.client };
  return createApiToken(
    deps,
    principal,
    { name: input.tokenName ?? `cli ${deps.now().toISOString().slice(0, 16)}` },
    input.ip,
  );
}
