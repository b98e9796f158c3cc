/** Errors from the Kubernetes adapter: the API server's own message and HTTP status, never credentials. */
import { type KubeStatus, zStatus } from './objects';

export type KubeErrorReason =
  /** Could not connect, TLS failed, or the connection dropped. */
  | 'Unreachable'
  | 'Timeout'
  /** Bad connection settings (kubeconfig, context, PEM data). */
  | 'InvalidConfig'
  /** The kind is not served by the cluster (missing CRD or wrong apiVersion). */
  | 'UnknownKind'
  /** A Kubernetes Status reason such as Invalid, NotFound, Conflict, Forbidden, Unauthorized, Expired. */
  | (string & {});

export class KubeError extends Error {
  constructor(
    message: string,
    /** HTTP status from the API server; 0 when there was no HTTP answer. */
    readonly status: number,
    readonly reason: KubeErrorReason,
    /** Field-level causes of a validation failure, as the API server reported them. */
    readonly causes: { field?: string; message?: string }[] = [],
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export function isKubeError(err: unknown, status?: number): err is KubeError {
  return err instanceof KubeError && (status === undefined || err.status === status);
}

const REASON_BY_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function parseStatus(body: string): KubeStatus | undefined {
  try {
    const parsed = zStatus.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the error for a non-2xx answer, preferring the API server's Status message. */
export function errorFromResponse(status: number, body: string, what: string): KubeError {
  const st = parseStatus(body);
  let reason = st?.reason || REASON_BY_STATUS[status] || `HTTP${status}`;
  // Server-side apply answers 500 for fields missing from the schema; that's the manifest's fault, not the server's.
  if (status === 500 && st?.message?.startsWith('failed to create typed patch object')) reason = 'Invalid';
  let message: string;
  if (status === 401) message = `the API server refused the credentials (401 Unauthorized) on ${what}`;
  else if (st?.message) message = st.message;
  else message = `${what}: HTTP ${status}${body && body.length < 300 && !body.includes('<') ? `: ${body.trim()}` : ''}`;
  const causes = (st?.details?.causes ?? []).map((c) => ({ field: c.field, message: c.message }));
  return new KubeError(message, status, reason, causes);
}

/** Removes every secret from a message (belt and braces: messages are built without them anyway). */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join('[redacted]');
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]');
}
