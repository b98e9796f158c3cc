import { AccessPanel } from '@/components/settings/access-panel';
import { EmptyState } from '@/components/ui/empty-state';
import { AppError } from '@/lib/errors';
import { getRbacConfig } from '@/lib/server/access/get-rbac-config';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Access' };
export const dynamic = 'force-dynamic';

export default async function AccessSettingsPage() {
  const principal = await requirePrincipal();
  const view = await getRbacConfig(deps(), principal).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'FORBIDDEN') return null;
    throw err;
  });
  return (
    <SettingsShell
      tab="/settings/access"
      description="Who may do what: Argo CD's argocd-rbac-cm policy (SSO groups → roles), on top of the built-in roles."
    >
      {view ? (
        <AccessPanel view={view} />
      ) : (
        <EmptyState icon="key" title="You may not read the RBAC policy" example="keelson account can-i get rbac '*'">
          Reading it needs rbac, get (role:readonly has it).
        </EmptyState>
      )}
    </SettingsShell>
  );
}
