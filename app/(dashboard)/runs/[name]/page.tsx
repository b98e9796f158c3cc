import { notFound } from 'next/navigation';
import { RunDetail } from '@/components/runs/run-detail';
import { ZPipelineRun } from '@/lib/schemas/pipeline-runs';
import { AppError } from '@/lib/errors';
import { deps } from '@/lib/server/context';
import { getPipelineRun } from '@/lib/server/pipeline/get-pipeline-run';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { decodeSegment } from '@/lib/domain/http/decode-segment';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props) {
  return { title: decodeSegment((await params).name) };
}

export default async function RunPage({ params }: Props) {
  await requirePrincipal();
  const name = decodeSegment((await params).name);
  const run = await getPipelineRun(deps(), name).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') notFound();
    throw err;
  });
  // The same parse the client applies to every poll, so the first render and later ones agree.
  return <RunDetail initial={ZPipelineRun.parse(JSON.parse(JSON.stringify(run)))} />;
}
