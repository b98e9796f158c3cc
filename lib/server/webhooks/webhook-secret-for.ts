import { eq } from 'drizzle-orm';
import { gitWebhookSecrets } from '@/lib/adapters/db/schema';
import { type TGitProvider } from '@/lib/schemas/applications';
import type { Deps } from '../deps';
import type { SecretBox } from '../security/secret-box';

/** The provider's secret in clear, for signature checks; undefined when none is set. */
export async function webhookSecretFor(
  deps: Pick<Deps, 'db'>,
  box: SecretBox,
  provider: TGitProvider,
): Promise<string | undefined> {
  const [row] = await deps.db
    .select({ sealed: gitWebhookSecrets.sealedSecret })
    .from(gitWebhookSecrets)
    .where(eq(gitWebhookSecrets.provider, provider));
  return row ? box.open(row.sealed) : undefined;
}
