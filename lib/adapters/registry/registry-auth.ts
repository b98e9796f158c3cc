/**
 * Registry authentication as docker and go-containerregistry do it: anonymous first; on a 401 the
 * `WWW-Authenticate` challenge says Bearer (fetch a token from `realm` with `service` and `scope`,
 * with Basic credentials when a pull secret covers the image) or Basic (send the credentials).
 * Credentials come from imagePullSecrets' `.dockerconfigjson` (`auths` entries with `auth` or
 * username/password), matched to the image as kubelet matches them.
 */
import { createHash } from 'node:crypto';
import {
  authKeyMatches,
  normaliseAuthKey,
  type ImageReference,
} from '@/lib/domain/pipeline/kubernetes/image-reference';

/** The content of a kubernetes.io/dockerconfigjson Secret (its `.dockerconfigjson` key, parsed). */
export interface DockerConfigJson {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string } | undefined>;
}

export interface BasicCredentials {
  username: string;
  password: string;
}

export interface Challenge {
  scheme: 'bearer' | 'basic' | 'other';
  params: Record<string, string>;
}

/** Parses `Bearer realm="...",service="...",scope="..."` (the first challenge; quoted or token values). */
export function parseChallenge(header: string | undefined): Challenge | null {
  if (!header) return null;
  const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/gy;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2])) !== null && p[0] !== '') {
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  }
  return { scheme: scheme === 'bearer' ? 'bearer' : scheme === 'basic' ? 'basic' : 'other', params };
}

function credentialsOf(entry: NonNullable<NonNullable<DockerConfigJson['auths']>[string]>): BasicCredentials | null {
  if (entry.username && entry.password !== undefined) return { username: entry.username, password: entry.password };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return null;
}

/**
 * The credentials the pull secrets give for `ref` (the most specific key wins: longest host+path, as
 * kubelet), or null. `extraHost`: a mirror's host, whose own entries also count.
 */
export function credentialsFor(
  secrets: readonly DockerConfigJson[] | undefined,
  ref: Pick<ImageReference, 'registry' | 'repository'>,
  extraHost?: string,
): BasicCredentials | null {
  let best: { score: number; creds: BasicCredentials } | null = null;
  for (const secret of secrets ?? []) {
    const auths =
      secret && typeof secret === 'object' && secret.auths && typeof secret.auths === 'object' ? secret.auths : {};
    for (const [key, entry] of Object.entries(auths)) {
      if (!entry || typeof entry !== 'object') continue;
      const matches =
        authKeyMatches(key, ref) || (extraHost !== undefined && authKeyMatches(key, { ...ref, registry: extraHost }));
      const creds = matches ? credentialsOf(entry) : null;
      if (!creds) continue;
      const { host, path } = normaliseAuthKey(key);
      const score = host.length + path.length + (host.startsWith('*.') ? 0 : 1000);
      if (!best || score > best.score) best = { score, creds };
    }
  }
  return best?.creds ?? null;
}

/** A short stable fingerprint of credentials for cache keys (never the credentials themselves). */
export function credentialsFingerprint(creds: BasicCredentials | null): string {
  if (!creds) return 'anonymous';
  return createHash('sha256').update(`${creds.username}\0${creds.password}`).digest('hex').slice(0, 16);
}

export const basicHeader = (creds: BasicCredentials) =>
  `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;

/** The token URL for a Bearer challenge, or null when the realm is not an absolute http(s) URL. */
export function tokenUrl(challenge: Challenge, scope: string): URL | null {
  let url: URL;
  try {
    url = new URL(challenge.params.realm ?? '');
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', challenge.params.scope || scope);
  return url;
}

/** The token of a token endpoint's JSON answer (`token` or `access_token`) and how long it lasts. */
export function parseTokenAnswer(body: Buffer): { token: string; expiresInS: number } | null {
  try {
    const json = JSON.parse(body.toString('utf8')) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof json.token === 'string' && json.token ? json.token : json.access_token;
    if (typeof token !== 'string' || !token || token.length > 64 * 1024) return null;
    const expires = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 60;
    return { token, expiresInS: Math.min(expires, 3600) };
  } catch {
    return null;
  }
}
