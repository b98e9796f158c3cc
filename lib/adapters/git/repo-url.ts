/**
 * Pure helpers for repository URLs: normalization (mirror keys, webhook matching),
 * classification (remote vs local) and scrubbing of credentials from text.
 */

const SCP_LIKE = /^([A-Za-z0-9._~-]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ssh: '22', git: '9418' };

export type RepoUrlKind = 'remote' | 'local' | 'invalid';

/**
 * Canonical form of a repository URL, so that two spellings of one repository compare equal:
 * lower-case scheme and host, no default port, no `.git` suffix, no trailing slash, no
 * userinfo on http(s) (an ssh user is kept), and scp-like `git@host:org/repo` written as
 * `ssh://git@host/org/repo`. Absolute local paths become `file://` URLs. The path keeps
 * its case (some servers are case-sensitive).
 */
export function normalizeRepoUrl(input: string): string {
  const url = input.trim();
  if (url.startsWith('/')) return `file://${stripSuffixes(url)}`;
  if (!SCHEME.test(url)) {
    const scp = SCP_LIKE.exec(url);
    if (!scp) return stripSuffixes(url);
    const [, user = '', host, path] = scp;
    return `ssh://${user}${host.toLowerCase()}/${stripSuffixes(path.replace(/^\/+/, ''))}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return stripSuffixes(url);
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (scheme === 'file') return `file://${stripSuffixes(decodeURIComponent(parsed.pathname))}`;
  const port = parsed.port && parsed.port !== DEFAULT_PORTS[scheme] ? `:${parsed.port}` : '';
  const user = scheme === 'ssh' && parsed.username ? `${parsed.username}@` : '';
  const path = stripSuffixes(parsed.pathname);
  return `${scheme}://${user}${parsed.hostname.toLowerCase()}${port}${path}${parsed.search}`;
}

function stripSuffixes(path: string): string {
  let p = path.replace(/\/+$/, '');
  if (p.endsWith('.git')) p = p.slice(0, -4);
  return p.replace(/\/+$/, '');
}

/**
 * `local` for file:// URLs and filesystem paths (git would read them from this host);
 * `remote` for http(s), ssh, git:// and scp-like URLs; `invalid` for anything else,
 * including option-like strings and transports such as `ext::`.
 */
export function classifyRepoUrl(input: string): RepoUrlKind {
  const url = input.trim();
  if (!url || url.startsWith('-') || /[\s\0]/.test(url)) return 'invalid';
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme) {
    if (scheme === 'file') return 'local';
    return ['http', 'https', 'ssh', 'git'].includes(scheme) ? 'remote' : 'invalid';
  }
  if (url.includes('::')) return 'invalid';
  if (url.startsWith('/') || url.startsWith('./') || url.startsWith('../') || url.startsWith('~')) return 'local';
  return SCP_LIKE.test(url) ? 'remote' : 'invalid';
}

/** Removes userinfo from every URL in `text` and any of the given secrets, for logs and errors. */
export function scrubCredentials(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/\s@]+@/g, '$1');
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/** The URL with userinfo removed, for messages. */
export function displayRepoUrl(input: string): string {
  return scrubCredentials(input.trim());
}
