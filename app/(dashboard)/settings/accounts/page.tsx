import { AccountsPanel } from '@/components/settings/accounts-panel';
import { listAccounts } from '@/lib/server/auth/list-accounts';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Accounts' };
export const dynamic = 'force-dynamic';

export default async function AccountsSettingsPage() {
  const principal = await requirePrincipal();
  return (
    <SettingsShell
      tab="/settings/accounts"
      description="Local accounts and SSO users, and the roles the RBAC policy gives them."
    >
      <AccountsPanel initial={await listAccounts(deps(), principal)} me={principal.username} />
    </SettingsShell>
  );
}
