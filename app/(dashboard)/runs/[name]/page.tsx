import { RunDetail } from '@/components/runs/run-detail';
import { ZPipelineRun } from '@/lib/schemas/pipeline-runs';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { getPipelineRun } from '@/lib/server/pipeline/get-pipeline-run';
import { nameMetadata, orNotFound, pageName, type NamedPageProps } from '../../_lib/named-page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(props: NamedPageProps) {
  return nameMetadata(props);
}

export default async function RunPage(props: NamedPageProps) {
  const principal = await requirePrincipal();
  const name = await pageName(props);
  const run = await orNotFound(getPipelineRun(deps(), principal, name));
  // The same parse the client applies to every poll, so the first render and later ones agree.
  return <RunDetail initial={ZPipelineRun.parse(JSON.parse(JSON.stringify(run)))} />;
}
