import { type TGitProvider } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../gitops/ports';
import type { SecretBox } from '../security/secret-box';

/** The provider's secret in clear, for signature checks; undefined when none is set. */
export async function webhookSecretFor(
  deps: Pick<GitopsDeps, 'gitops'>,
  box: SecretBox,
  provider: TGitProvider,
): Promise<string | undefined> {
  const sealed = await deps.gitops.webhookSecrets.sealed(provider);
  return sealed !== undefined ? box.open(sealed) : undefined;
}
