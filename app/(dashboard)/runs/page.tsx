import { RunsList } from '@/components/runs/runs-list';
import { PageHead } from '@/components/ui/page-head';
import { deps } from '@/lib/server/context';
import { listPipelines } from '@/lib/server/pipeline/list-pipelines';
import { listPipelineRuns } from '@/lib/server/pipeline/list-pipeline-runs';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const metadata = { title: 'Runs' };
export const dynamic = 'force-dynamic';

const LIMIT = 20;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function RunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requirePrincipal();
  const q = await searchParams;
  const page = Math.max(1, Number.parseInt(one(q.page) ?? '1', 10) || 1);
  const filter = { status: one(q.status), pipeline: one(q.pipeline), page, limit: LIMIT };
  const [runs, pipelines] = await Promise.all([
    listPipelineRuns(deps(), principal, filter),
    listPipelines(deps(), principal),
  ]);
  return (
    <>
      <PageHead title="Runs" description="Every pipeline run, across pipelines, newest first." />
      <RunsList initialFilter={filter} initial={runs} pipelines={pipelines.map((p) => p.name)} />
    </>
  );
}
