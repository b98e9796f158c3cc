import { RepositoriesPanel } from '@/components/settings/repositories-panel';
import { deps } from '@/lib/server/context';
import { listRepositories } from '@/lib/server/gitops/list-repositories';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Repositories' };
export const dynamic = 'force-dynamic';

export default async function RepositoriesSettingsPage() {
  const principal = await requirePrincipal();
  return (
    <SettingsShell
      tab="/settings/repositories"
      description="Git repositories applications follow; credentials are encrypted at rest and never returned."
    >
      <RepositoriesPanel initial={await listRepositories(deps(), principal)} />
    </SettingsShell>
  );
}
