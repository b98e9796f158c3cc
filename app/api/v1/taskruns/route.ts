import { deps } from '@/lib/server/context';
import { listTaskRuns } from '@/lib/server/pipeline/list-task-runs';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ req, principal }) => {
  const q = req.nextUrl.searchParams;
  return listTaskRuns(deps(), principal, {
    pipelineRun: q.get('pipelineRun') ?? undefined,
    limit: Math.min(200, Math.max(1, Number(q.get('limit') ?? 50) || 50)),
  });
});
