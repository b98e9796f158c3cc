import { ClustersPanel } from '@/components/settings/clusters-panel';
import { SettingsTabs } from '@/components/settings/settings-tabs';
import { PageHead } from '@/components/ui/page-head';
import { deps } from '@/lib/server/context';
import { listClusters } from '@/lib/server/gitops/list-clusters';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const metadata = { title: 'Clusters' };
export const dynamic = 'force-dynamic';

export default async function ClustersPage() {
  await requirePrincipal();
  const clusters = await listClusters(deps());
  return (
    <>
      <PageHead
        title="Settings"
        description="Kubernetes clusters applications deploy to; credentials are encrypted at rest and never returned."
      />
      <SettingsTabs current="/settings/clusters" />
      <ClustersPanel initial={clusters} />
    </>
  );
}
