import { ClustersPanel } from '@/components/settings/clusters-panel';
import { deps } from '@/lib/server/context';
import { listClusters } from '@/lib/server/gitops/list-clusters';
import { settingsPage } from '../_lib/settings-page';

export const metadata = { title: 'Clusters' };
export const dynamic = 'force-dynamic';

export default settingsPage(
  '/settings/clusters',
  'Kubernetes clusters applications deploy to; credentials are encrypted at rest and never returned.',
  async () => <ClustersPanel initial={await listClusters(deps())} />,
);
