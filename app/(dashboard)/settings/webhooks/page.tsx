import { WebhooksPanel } from '@/components/settings/webhooks-panel';
import { deps } from '@/lib/server/context';
import { listWebhookSecrets } from '@/lib/server/webhooks/list-webhook-secrets';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Webhooks' };
export const dynamic = 'force-dynamic';

export default async function WebhooksSettingsPage() {
  const principal = await requirePrincipal();
  return (
    <SettingsShell
      tab="/settings/webhooks"
      description="Git push webhooks refresh the applications that follow the pushed branch within seconds."
    >
      <WebhooksPanel initial={(await listWebhookSecrets(deps(), principal)).items} />
    </SettingsShell>
  );
}
