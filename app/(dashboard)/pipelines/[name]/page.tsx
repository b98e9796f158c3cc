import { notFound } from 'next/navigation';
import { PipelineDetail } from '@/components/pipelines/pipeline-detail';
import { AppError } from '@/lib/errors';
import { deps } from '@/lib/server/context';
import { getPipeline } from '@/lib/server/pipeline/get-pipeline';
import { listPipelineRuns } from '@/lib/server/pipeline/list-pipeline-runs';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { decodeSegment } from '@/lib/domain/http/decode-segment';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props) {
  return { title: decodeSegment((await params).name) };
}

export default async function PipelinePage({ params }: Props) {
  await requirePrincipal();
  const name = decodeSegment((await params).name);
  const pipeline = await getPipeline(deps(), name).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') notFound();
    throw err;
  });
  const runs = await listPipelineRuns(deps(), { pipeline: name, page: 1, limit: 10 });
  return <PipelineDetail initial={pipeline} initialRuns={runs} />;
}
