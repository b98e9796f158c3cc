/**
 * One registry session for one repository: GETs against the distribution API (`/v2/<repo>/manifests/<ref>`,
 * `/v2/<repo>/blobs/<digest>`) with the auth dance of registry-auth.ts. Bearer tokens are kept per
 * realm/service/scope/credentials until they expire. Errors are thrown as ClientError with a code.
 */
import type { ImageConfigErrorCode } from './image-config-error';
import type { BoundedCache } from './bounded-cache';
import {
  basicHeader,
  parseChallenge,
  parseTokenAnswer,
  tokenUrl,
  type BasicCredentials,
  type Challenge,
} from './registry-auth';
import { registryGet, type HttpPolicy, type RegistryResponse } from './registry-http';

export class ClientError extends Error {
  constructor(
    readonly code: ImageConfigErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface RepositorySession {
  /** `https://registry-1.docker.io` or a mirror's origin. */
  origin: string;
  /** For messages: `docker.io`, or `docker.io (mirror 127.0.0.1:5000)`. */
  registryName: string;
  repository: string;
  credentials: BasicCredentials | null;
  /** Cache key part for the credentials (a hash, never the credentials). */
  fingerprint: string;
  policy: HttpPolicy;
  signal: AbortSignal;
  /** Shared across sessions: `Authorization` header values by origin/repository/fingerprint. */
  authCache: BoundedCache<string>;
  onRequest?: (url: string) => void;
}

/** Exchanges a challenge for an Authorization header value. */
async function authorize(
  session: RepositorySession,
  challenge: Challenge | null,
  maxBytes: number,
): Promise<{ header: string; ttlMs: number } | null> {
  if (challenge?.scheme === 'basic') {
    return session.credentials ? { header: basicHeader(session.credentials), ttlMs: 10 * 60_000 } : null;
  }
  if (challenge?.scheme !== 'bearer') return null;
  const url = tokenUrl(challenge, `repository:${session.repository}:pull`);
  if (!url) throw new ClientError('BAD_RESPONSE', 'the registry asked for a token from an invalid realm');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (session.credentials) headers.authorization = basicHeader(session.credentials);
  session.onRequest?.(url.href);
  const res = await registryGet(url, headers, { maxBytes, policy: session.policy, signal: session.signal });
  if (res.status === 401 || res.status === 403) {
    throw new ClientError(
      'UNAUTHORIZED',
      session.credentials
        ? 'the registry refused the credentials of the pull secret'
        : 'the registry refused an anonymous token: add an imagePullSecret that can read it',
    );
  }
  const answer = res.status === 200 ? parseTokenAnswer(res.body) : null;
  if (!answer) throw new ClientError('BAD_RESPONSE', `the registry's token service answered ${res.status}`);
  return { header: `Bearer ${answer.token}`, ttlMs: Math.max(answer.expiresInS - 10, 5) * 1000 };
}

/** GET a path of the repository (`manifests/<ref>`, `blobs/<digest>`), authenticating when challenged. */
export async function repositoryGet(
  session: RepositorySession,
  path: string,
  accept: string,
  maxBytes: number,
): Promise<RegistryResponse> {
  const url = new URL(`/v2/${session.repository}/${path}`, session.origin);
  const authKey = `${session.origin}/${session.repository}|${session.fingerprint}`;
  const send = (authorization: string | undefined) => {
    session.onRequest?.(url.href);
    const headers: Record<string, string> = { accept };
    if (authorization) headers.authorization = authorization;
    return registryGet(url, headers, { maxBytes, policy: session.policy, signal: session.signal });
  };
  const cached = session.authCache.get(authKey);
  let res = await send(cached);
  if (res.status === 401) {
    const auth = await authorize(session, parseChallenge(headerOf(res, 'www-authenticate')), maxBytes);
    if (auth) {
      session.authCache.set(authKey, auth.header, auth.ttlMs);
      res = await send(auth.header);
    }
  }
  if (res.status === 401 || res.status === 403) {
    throw new ClientError(
      'UNAUTHORIZED',
      session.credentials
        ? `the registry refused access with the pull secret's credentials (${res.status})`
        : `the registry needs credentials or has no such image (${res.status}): check the name, or add an imagePullSecret that can read it`,
    );
  }
  return res;
}

export function headerOf(res: RegistryResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
