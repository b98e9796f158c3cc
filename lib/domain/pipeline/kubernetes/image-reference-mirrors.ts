/**
 * Registry mirrors (KEELSON_REGISTRY_MIRRORS): `docker.io=http://127.0.0.1:5000,ghcr.io=https://m.corp,_default=...`.
 * A mirror serves the same repository paths as the registry it stands for (as containerd's hosts.toml
 * mirrors do); `_default` stands for every registry without its own entry. Pure.
 */
import { normaliseAuthKey } from './image-reference';

export const DEFAULT_MIRROR_KEY = '_default';

export class MirrorsError extends Error {}

const REGISTRY_KEY =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d+)?$/;

/** The mirror origin (`http://127.0.0.1:5000`) of a mirror URL, or throws saying what is wrong. */
function mirrorOrigin(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MirrorsError(
      `the mirror for ${key} ("${value}") is not a URL: write it as http://host:port or https://host`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MirrorsError(`the mirror for ${key} must be an http:// or https:// URL`);
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new MirrorsError(
      `the mirror for ${key} must be just scheme, host and port (no path, user or query), e.g. http://127.0.0.1:5000`,
    );
  }
  return url.origin;
}

/** Parses `key=url` pairs separated by commas or whitespace; keys are registry hosts or `_default`. */
export function parseRegistryMirrors(text: string): Record<string, string> {
  const mirrors: Record<string, string> = {};
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new MirrorsError(`"${entry}" is not registry=url (e.g. docker.io=http://127.0.0.1:5000)`);
    const rawKey = entry.slice(0, eq).trim().toLowerCase();
    const key = rawKey === DEFAULT_MIRROR_KEY ? rawKey : normaliseAuthKey(rawKey).host;
    if (key !== DEFAULT_MIRROR_KEY && (!REGISTRY_KEY.test(key) || normaliseAuthKey(rawKey).path !== '')) {
      throw new MirrorsError(`"${rawKey}" is not a registry host (e.g. docker.io, ghcr.io, host:5000) or _default`);
    }
    if (Object.hasOwn(mirrors, key)) throw new MirrorsError(`the registry ${key} has two mirrors; keep one`);
    mirrors[key] = mirrorOrigin(key, entry.slice(eq + 1).trim());
  }
  return mirrors;
}

/** The mirror origin for a registry host, if any (its own entry, else `_default`). */
export function mirrorFor(mirrors: Readonly<Record<string, string>>, registry: string): string | undefined {
  if (Object.hasOwn(mirrors, registry)) return mirrors[registry];
  return Object.hasOwn(mirrors, DEFAULT_MIRROR_KEY) ? mirrors[DEFAULT_MIRROR_KEY] : undefined;
}
