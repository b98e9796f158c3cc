import { ZAuditQuery } from '@/lib/schemas/audit';
import { listAuditEntries } from '@/lib/server/audit/list-audit-entries';
import { deps } from '@/lib/server/context';
import { parseOrThrow } from '@/lib/server/gitops/applications/parse-input';
import { route } from '../../_lib/handler';

/** The audit log, newest first, paged on the server; role:admin (`audit get *`). */
export const GET = route({}, async ({ req, principal }) =>
  listAuditEntries(
    deps(),
    principal,
    parseOrThrow(
      ZAuditQuery,
      Object.fromEntries(req.nextUrl.searchParams),
      'user, resource, action, object, result, via; since/until as RFC 3339 or 30m/1h/7d; limit 1–500, offset ≥ 0.',
      'query',
    ),
  ),
);
