import { ClustersPanel } from '@/components/settings/clusters-panel';
import { deps } from '@/lib/server/context';
import { listClusters } from '@/lib/server/gitops/list-clusters';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Clusters' };
export const dynamic = 'force-dynamic';

export default async function ClustersSettingsPage() {
  const principal = await requirePrincipal();
  return (
    <SettingsShell
      tab="/settings/clusters"
      description="Kubernetes clusters applications deploy to; credentials are encrypted at rest and never returned."
    >
      <ClustersPanel initial={await listClusters(deps(), principal)} />
    </SettingsShell>
  );
}
