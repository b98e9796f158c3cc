import { RepositoriesPanel } from '@/components/settings/repositories-panel';
import { SettingsTabs } from '@/components/settings/settings-tabs';
import { PageHead } from '@/components/ui/page-head';
import { deps } from '@/lib/server/context';
import { listRepositories } from '@/lib/server/gitops/list-repositories';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const metadata = { title: 'Repositories' };
export const dynamic = 'force-dynamic';

export default async function RepositoriesPage() {
  await requirePrincipal();
  const repos = await listRepositories(deps());
  return (
    <>
      <PageHead
        title="Settings"
        description="Git repositories applications follow; credentials are encrypted at rest and never returned."
      />
      <SettingsTabs current="/settings/repositories" />
      <RepositoriesPanel initial={repos} />
    </>
  );
}
