import { isCliUserAgent } from '@/lib/domain/audit/cli-user-agent';
import type { Principal, PrincipalClient } from '../principal';

/** Which client made a request: a browser session is the UI; a token is the CLI when its User-Agent says so. */
export function requestClient(via: Principal['via'], userAgent: string | null): PrincipalClient {
  if (via === 'session') return 'ui';
  return isCliUserAgent(userAgent) ? 'cli' : 'api';
}

/** The request's principal with the client that sent it (for the audit log's `via`). */
export function withClient<P extends Principal | undefined>(principal: P, userAgent: string | null): P {
  return principal ? { ...principal, client: requestClient(principal.via, userAgent) } : principal;
}
