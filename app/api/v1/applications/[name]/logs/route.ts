import { podLogDeps } from '@/lib/server/context';
import { parsePodQuery } from '@/lib/server/gitops/pod-log-query';
import { openPodLogStream } from '@/lib/server/gitops/pod-logs';
import { ZPodLogsQuery } from '@/lib/schemas/pod-logs';
import { route } from '../../../../_lib/handler';
import { sseResponse } from '@/lib/adapters/http-server/sse-response';

export const dynamic = 'force-dynamic';

/**
 * A container log of one of the app's pods as server-sent events: `log` per line, then `end` or `error`.
 * Validation, authorization, a pod outside the app and too many followed logs are JSON errors before the stream.
 */
export const GET = route({}, async ({ req, params, principal }) => {
  const query = parsePodQuery(ZPodLogsQuery, req.nextUrl.searchParams);
  const gone = new AbortController();
  const events = await openPodLogStream(podLogDeps(), principal, String(params.name), query, { signal: gone.signal });
  return sseResponse(events, gone, { signal: req.signal });
});
