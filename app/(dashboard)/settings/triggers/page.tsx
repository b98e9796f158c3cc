import { DELIVERY_LIMIT } from '@/components/triggers/delivery-limit';
import { TriggersList } from '@/components/triggers/triggers-list';
import { deps } from '@/lib/server/context';
import { listDeliveries, listTriggers } from '@/lib/server/pipeline/list-triggers';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Triggers' };
export const dynamic = 'force-dynamic';

export default async function TriggersSettingsPage() {
  const principal = await requirePrincipal();
  const triggers = await listTriggers(deps(), principal);
  const deliveries = await Promise.all(
    triggers.map(async (t) => [t.name, await listDeliveries(deps(), principal, t.name, DELIVERY_LIMIT)] as const),
  );
  return (
    <SettingsShell
      tab="/settings/triggers"
      description="Webhook triggers start pipelines from GitHub and GitLab; every delivery is recorded with its outcome."
    >
      <TriggersList initial={triggers} initialDeliveries={Object.fromEntries(deliveries)} />
    </SettingsShell>
  );
}
