import { decideCsrf } from '@/lib/domain/http/csrf';
import { publicUrl } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { webContext } from '../context';

/**
 * Refuses a cookie-authenticated unsafe request that did not come from Keelson's own pages (403, before
 * the body is read). Bearer-token requests never reach this: browsers do not attach tokens by themselves.
 */
export function assertSameOriginRequest(req: Request, opts: { requireApiContentType: boolean }): void {
  const h = req.headers;
  const decision = decideCsrf({
    method: req.method,
    contentType: h.get('content-type'),
    origin: h.get('origin'),
    secFetchSite: h.get('sec-fetch-site'),
    host: h.get('x-forwarded-host')?.split(',')[0] ?? h.get('host'),
    trustedOrigins: [publicUrl(webContext().env)],
    requireApiContentType: opts.requireApiContentType,
  });
  if (!decision.allowed) throw new AppError('FORBIDDEN', decision.reason, { hint: decision.hint });
}
