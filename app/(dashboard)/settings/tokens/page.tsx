import { CreateTokenForm } from '@/components/settings/create-token-form';
import { TokensTable } from '@/components/settings/tokens-table';
import { deps } from '@/lib/server/context';
import { listApiTokens } from '@/lib/server/tokens/list-api-tokens';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

export default async function TokensSettingsPage() {
  const principal = await requirePrincipal();
  const tokens = await listApiTokens(deps(), principal);
  return (
    <SettingsShell
      tab="/settings/tokens"
      description="API tokens for the CLI and scripts, and webhook triggers for pipelines."
    >
      <CreateTokenForm />
      <TokensTable initial={tokens} />
    </SettingsShell>
  );
}
