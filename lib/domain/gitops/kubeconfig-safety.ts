/**
 * What a kubeconfig sent to Keelson may contain. Keelson connects to clusters from its own server,
 * so a kubeconfig may carry only inline data: nothing in it may run a command (`exec`,
 * `auth-provider`) or name a file on the server (`tokenFile`, `client-certificate`,
 * `client-key`, `certificate-authority`). Checked on the parsed YAML, before any client library
 * sees it (client-node reads `token-file` while loading and runs `exec` when building a request).
 * Fields are allow-listed: an unknown field is refused too, so a future client version that reads
 * a new path-bearing field cannot be reached through an old check.
 */

export interface KubeconfigProblem {
  /** Where in the kubeconfig, e.g. `users[0].user.exec`. */
  path: string;
  message: string;
}

const INLINE_HINT =
  'Keelson accepts only inline credentials: use `kubectl config view --raw --flatten --minify` and a token or client certificate data';

const REFUSED_USER_FIELDS: Record<string, string> = {
  exec: `runs a command on the Keelson server; not allowed. ${INLINE_HINT} (e.g. a ServiceAccount token)`,
  'auth-provider': `runs a plugin (and possibly a command) on the Keelson server; not allowed. ${INLINE_HINT}`,
  tokenFile: 'names a file on the Keelson server; put the token itself in `token`',
  'token-file': 'names a file on the Keelson server; put the token itself in `token`',
  'client-certificate': 'names a file on the Keelson server; use `client-certificate-data` (base64 of the PEM)',
  'client-key': 'names a file on the Keelson server; use `client-key-data` (base64 of the PEM)',
};
const ALLOWED_USER_FIELDS = new Set([
  'token',
  'username',
  'password',
  'client-certificate-data',
  'client-key-data',
  'as',
  'as-uid',
  'as-groups',
  'as-user-extra',
  'extensions',
]);

const REFUSED_CLUSTER_FIELDS: Record<string, string> = {
  'certificate-authority': 'names a file on the Keelson server; use `certificate-authority-data` (base64 of the PEM)',
};
const ALLOWED_CLUSTER_FIELDS = new Set([
  'server',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'proxy-url',
  'disable-compression',
  'extensions',
]);
const ALLOWED_CONTEXT_FIELDS = new Set(['cluster', 'user', 'namespace', 'extensions']);
const ALLOWED_TOP_FIELDS = new Set([
  'apiVersion',
  'kind',
  'clusters',
  'users',
  'contexts',
  'current-context',
  'preferences',
  'extensions',
]);
const PROXY_SCHEMES = ['http:', 'https:', 'socks5:', 'socks5h:'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFields(
  obj: Record<string, unknown>,
  at: string,
  allowed: Set<string>,
  refused: Record<string, string>,
  out: KubeconfigProblem[],
): void {
  for (const key of Object.keys(obj)) {
    if (Object.hasOwn(refused, key)) out.push({ path: `${at}.${key}`, message: refused[key] });
    else if (!allowed.has(key))
      out.push({ path: `${at}.${key}`, message: `is not a supported field (accepted: ${[...allowed].join(', ')})` });
  }
}

function checkCluster(cluster: Record<string, unknown>, at: string, out: KubeconfigProblem[]): void {
  checkFields(cluster, at, ALLOWED_CLUSTER_FIELDS, REFUSED_CLUSTER_FIELDS, out);
  const server = cluster.server;
  if (typeof server !== 'string' || !/^https?:\/\/[^/]/i.test(server))
    out.push({ path: `${at}.server`, message: 'must be an http(s) URL of the API server' });
  const proxy = cluster['proxy-url'];
  if (proxy !== undefined) {
    let scheme = '';
    try {
      scheme = new URL(String(proxy)).protocol;
    } catch {
      // reported below
    }
    if (!PROXY_SCHEMES.includes(scheme))
      out.push({ path: `${at}.proxy-url`, message: 'must be an http://, https://, socks5:// or socks5h:// URL' });
  }
  const insecure = cluster['insecure-skip-tls-verify'];
  if (insecure !== undefined && typeof insecure !== 'boolean')
    out.push({ path: `${at}.insecure-skip-tls-verify`, message: 'must be true or false' });
  if (insecure === true && cluster['certificate-authority-data'] !== undefined) {
    out.push({
      path: `${at}.insecure-skip-tls-verify`,
      message: 'cannot be combined with certificate-authority-data (as kubectl): drop one of them',
    });
  }
}

function eachEntry(
  doc: Record<string, unknown>,
  list: string,
  inner: string,
  out: KubeconfigProblem[],
  check: (v: Record<string, unknown>, at: string) => void,
): void {
  const items = doc[list];
  if (items === undefined || items === null) return;
  if (!Array.isArray(items)) {
    out.push({ path: list, message: 'must be a list' });
    return;
  }
  items.forEach((item, i) => {
    const at = `${list}[${i}]`;
    if (!isRecord(item)) return void out.push({ path: at, message: `must be an object with name and ${inner}` });
    for (const key of Object.keys(item))
      if (key !== 'name' && key !== inner)
        out.push({ path: `${at}.${key}`, message: `is not a supported field (accepted: name, ${inner})` });
    const value = item[inner];
    if (value === undefined || value === null) return;
    if (!isRecord(value)) return void out.push({ path: `${at}.${inner}`, message: 'must be an object' });
    check(value, `${at}.${inner}`);
  });
}

/** Every field of a parsed kubeconfig that Keelson refuses, with its path; empty when it is safe to load. */
export function kubeconfigProblems(doc: unknown): KubeconfigProblem[] {
  if (!isRecord(doc))
    return [{ path: '(root)', message: 'a kubeconfig must be a YAML mapping with clusters, users and contexts' }];
  const out: KubeconfigProblem[] = [];
  for (const key of Object.keys(doc)) {
    if (!ALLOWED_TOP_FIELDS.has(key))
      out.push({ path: key, message: `is not a supported field (accepted: ${[...ALLOWED_TOP_FIELDS].join(', ')})` });
  }
  eachEntry(doc, 'clusters', 'cluster', out, (c, at) => checkCluster(c, at, out));
  eachEntry(doc, 'users', 'user', out, (u, at) => checkFields(u, at, ALLOWED_USER_FIELDS, REFUSED_USER_FIELDS, out));
  eachEntry(doc, 'contexts', 'context', out, (c, at) => checkFields(c, at, ALLOWED_CONTEXT_FIELDS, {}, out));
  return out;
}
