import { SettingsTabs } from '@/components/settings/settings-tabs';
import { DELIVERY_LIMIT } from '@/components/triggers/delivery-limit';
import { TriggersList } from '@/components/triggers/triggers-list';
import { PageHead } from '@/components/ui/page-head';
import { deps } from '@/lib/server/context';
import { listDeliveries, listTriggers } from '@/lib/server/pipeline/list-triggers';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const metadata = { title: 'Triggers' };
export const dynamic = 'force-dynamic';

export default async function TriggersPage() {
  await requirePrincipal();
  const triggers = await listTriggers(deps());
  const deliveries = await Promise.all(
    triggers.map(async (t) => [t.name, await listDeliveries(deps(), t.name, DELIVERY_LIMIT)] as const),
  );
  return (
    <>
      <PageHead
        title="Settings"
        description="Webhook triggers start pipelines from GitHub and GitLab; every delivery is recorded with its outcome."
      />
      <SettingsTabs current="/settings/triggers" />
      <TriggersList initial={triggers} initialDeliveries={Object.fromEntries(deliveries)} />
    </>
  );
}
