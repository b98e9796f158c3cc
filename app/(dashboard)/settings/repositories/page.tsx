import { RepositoriesPanel } from '@/components/settings/repositories-panel';
import { deps } from '@/lib/server/context';
import { listRepositories } from '@/lib/server/gitops/list-repositories';
import { settingsPage } from '../_lib/settings-page';

export const metadata = { title: 'Repositories' };
export const dynamic = 'force-dynamic';

export default settingsPage(
  '/settings/repositories',
  'Git repositories applications follow; credentials are encrypted at rest and never returned.',
  async () => <RepositoriesPanel initial={await listRepositories(deps())} />,
);
