import { CreateTokenForm } from '@/components/settings/create-token-form';
import { TokensTable } from '@/components/settings/tokens-table';
import { deps } from '@/lib/server/context';
import { listApiTokens } from '@/lib/server/tokens/list-api-tokens';
import { settingsPage } from '../_lib/settings-page';

export const metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

export default settingsPage(
  '/settings/tokens',
  'API tokens for the CLI and scripts, and webhook triggers for pipelines.',
  async (principal) => {
    const tokens = await listApiTokens(deps(), principal);
    return (
      <>
        <CreateTokenForm />
        <TokensTable initial={tokens} />
      </>
    );
  },
);
