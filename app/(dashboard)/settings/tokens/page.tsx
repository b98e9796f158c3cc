import { CreateTokenForm } from '@/components/settings/create-token-form';
import { SettingsTabs } from '@/components/settings/settings-tabs';
import { TokensTable } from '@/components/settings/tokens-table';
import { PageHead } from '@/components/ui/page-head';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { listApiTokens } from '@/lib/server/tokens/list-api-tokens';

export const metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

export default async function TokensPage() {
  const principal = await requirePrincipal();
  const tokens = await listApiTokens(deps(), principal);
  return (
    <>
      <PageHead
        title="Settings"
        description="API tokens for the CLI and scripts, and webhook triggers for pipelines."
      />
      <SettingsTabs current="/settings/tokens" />
      <CreateTokenForm />
      <TokensTable initial={tokens} />
    </>
  );
}
