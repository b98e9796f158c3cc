import { PipelineDetail } from '@/components/pipelines/pipeline-detail';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { getPipeline } from '@/lib/server/pipeline/get-pipeline';
import { listPipelineRuns } from '@/lib/server/pipeline/list-pipeline-runs';
import { nameMetadata, orNotFound, pageName, type NamedPageProps } from '../../_lib/named-page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(props: NamedPageProps) {
  return nameMetadata(props);
}

export default async function PipelinePage(props: NamedPageProps) {
  const principal = await requirePrincipal();
  const name = await pageName(props);
  const pipeline = await orNotFound(getPipeline(deps(), principal, name));
  const runs = await listPipelineRuns(deps(), principal, { pipeline: name, page: 1, limit: 10 });
  return <PipelineDetail initial={pipeline} initialRuns={runs} />;
}
