import { pipelineContracts } from '@/lib/schemas/contracts/pipelines';
import { sseResponse } from '@/lib/adapters/http-server/sse-response';
import { principalFromRequest } from '@/lib/server/auth/current-principal';
import { deps } from '@/lib/server/context';
import { streamTaskRunLogs } from '@/lib/server/pipeline/stream-task-run-logs';
import { route } from '../../../../../_lib/handler';

export const dynamic = 'force-dynamic';

/**
 * Server-sent events: every stored chunk from `Last-Event-ID` (or the start), then new chunks as they arrive,
 * then `event: end` once the TaskRun has finished and its log is drained. The caller's credential and right to
 * read the log are asked again about every 30 s: a logout, a revoked or expired token, a disabled or deleted
 * account or a refusal is an `event: error`, and the end. Chunks are read as the client reads; a client that reads
 * nothing of what is queued for 60 s is cut off (sse-response.ts).
 */
export const GET = route(
  { contract: pipelineContracts['/api/v1/taskruns/{name}/logs/stream'].get },
  async ({ params, req, principal }) => {
    const after = Number(req.headers.get('last-event-id') ?? 0) || 0;
    const gone = new AbortController();
    const events = await streamTaskRunLogs(deps(), principal, String(params.name), {
      after,
      signal: gone.signal,
      // The same credential resolved again at every recheck: a logout, a revoked token or a disabled account ends it.
      reauthenticate: () => principalFromRequest(req.headers, req.cookies),
    });
    return sseResponse(events, gone, { signal: req.signal, retryMs: 1000 });
  },
);
