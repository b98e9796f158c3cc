import { principalFromRequest } from '@/lib/server/auth/current-principal';
import { podLogDeps } from '@/lib/server/context';
import { openPodLogStream } from '@/lib/server/gitops/pod-logs';
import { podLogContracts } from '@/lib/schemas/contracts/pod-logs';
import { route } from '../../../../_lib/handler';
import { sseResponse } from '@/lib/adapters/http-server/sse-response';

export const dynamic = 'force-dynamic';

/**
 * A container log of one of the app's pods as server-sent events: `log` per line, then `end` or `error`.
 * Validation, authorization, a pod outside the app and too many open logs are JSON errors before the stream. The
 * caller's credential and rights are checked again every 30 s while it streams; a client that reads nothing of
 * what is queued for 60 s is cut off (sse-response.ts).
 */
export const GET = route(
  { contract: podLogContracts['/api/v1/applications/{name}/logs'].get },
  async ({ req, query, params, principal }) => {
    const gone = new AbortController();
    const events = await openPodLogStream(podLogDeps(), principal, String(params.name), query, {
      signal: gone.signal,
      // The same credential resolved again at every recheck: a logout, a revoked token or a disabled account ends it.
      reauthenticate: () => principalFromRequest(req.headers, req.cookies),
    });
    return sseResponse(events, gone, { signal: req.signal });
  },
);
