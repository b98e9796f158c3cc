import { PipelinesTable } from '@/components/pipelines/pipelines-table';
import { PageHead } from '@/components/ui/page-head';
import { deps } from '@/lib/server/context';
import { listPipelines } from '@/lib/server/pipeline/list-pipelines';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const metadata = { title: 'Pipelines' };
export const dynamic = 'force-dynamic';

export default async function PipelinesPage() {
  const principal = await requirePrincipal();
  const pipelines = await listPipelines(deps(), principal);
  return (
    <>
      <PageHead
        title="Pipelines"
        description="Tekton-style pipelines: DAGs of tasks made of steps. Steps run on Keelson's workers with their own tools; images are recorded, not pulled."
      />
      <PipelinesTable initial={pipelines} />
    </>
  );
}
