import { PipelineSettingsPanel } from '@/components/settings/pipeline-settings-panel';
import { EmptyState } from '@/components/ui/empty-state';
import { AppError } from '@/lib/errors';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { pipelineSettingsDeps } from '@/lib/server/context';
import { getPipelineSettings } from '@/lib/server/pipeline/pipeline-settings';
import { SettingsShell } from '../_lib/settings-shell';

export const metadata = { title: 'Pipelines' };
export const dynamic = 'force-dynamic';

export default async function PipelineSettingsPage() {
  const principal = await requirePrincipal();
  const view = await getPipelineSettings(pipelineSettingsDeps(), principal).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'FORBIDDEN') return null;
    throw err;
  });
  return (
    <SettingsShell
      tab="/settings/pipelines"
      description="Where TaskRuns run: on the workers (the local executor), or as pods on a registered cluster."
    >
      {view ? (
        <PipelineSettingsPanel view={view} />
      ) : (
        <EmptyState
          icon="cluster"
          title="You may not read the pipeline settings"
          example="keelson account can-i get clusters '*'"
        >
          Reading them needs clusters, get (role:readonly has it).
        </EmptyState>
      )}
    </SettingsShell>
  );
}
