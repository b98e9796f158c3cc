/** Builds a KubeConnection from any supported credentials and checks that the cluster accepts them. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { yamlTooDeep } from '@/lib/domain/http/bounded-parse';
import { z } from 'zod';
import { kubeconfigProblems, type KubeconfigProblem } from '@/lib/domain/gitops/kubeconfig-safety';
import { KubeConnection } from './connection';
import { KubeError, errorFromResponse, isKubeError } from './errors';
import { insideKubernetesPod } from '@/lib/env';

const zPemOrBase64 = z.string().min(1);

const zToken = z.object({
  type: z.literal('token'),
  server: z.url(),
  token: z.string().min(1),
  /** PEM, or base64 of PEM as in kubeconfig's certificate-authority-data. */
  caData: zPemOrBase64.optional(),
  insecure: z.boolean().optional(),
  tlsServerName: z.string().optional(),
});
const zClientCert = z.object({
  type: z.literal('clientCert'),
  server: z.url(),
  certData: zPemOrBase64,
  keyData: zPemOrBase64,
  caData: zPemOrBase64.optional(),
  insecure: z.boolean().optional(),
  tlsServerName: z.string().optional(),
});
const zInCluster = z.object({ type: z.literal('inCluster') });

/**
 * Credentials a caller on this host may pass to `connect`: a kubeconfig `path` is for the
 * operator's own files (tests, CLI); it is never reachable from the API or the database.
 */
export const zClusterCredentials = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('kubeconfig'),
    /** A kubeconfig file path, or `content` with its YAML (as stored encrypted in the database). */
    path: z.string().min(1).optional(),
    content: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
  }),
  zToken,
  zClientCert,
  zInCluster,
]);

/** Credentials as registered through the API and stored sealed: inline data only, no file path. */
export const zStoredClusterCredentials = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('kubeconfig'), content: z.string().min(1), context: z.string().min(1).optional() }),
  zToken.strict(),
  zClientCert.strict(),
]);
export type StoredClusterCredentials = z.infer<typeof zStoredClusterCredentials>;

/** Thrown for a kubeconfig with fields Keelson refuses; `problems` name each field. */
export class UnsafeKubeconfigError extends KubeError {
  constructor(readonly problems: KubeconfigProblem[]) {
    super(
      `the kubeconfig is not accepted: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      0,
      'InvalidConfig',
    );
  }
}

/**
 * Parses kubeconfig YAML and refuses anything that would run a command or read a file; returns
 * the text client-node may load (JSON of exactly what was checked, so both parsers see the same).
 */
export function safeKubeconfigText(content: string): string {
  let doc: unknown;
  const tooDeep = yamlTooDeep(content);
  if (tooDeep) throw new UnsafeKubeconfigError([{ path: '(root)', message: `is not valid YAML: ${tooDeep}` }]);
  try {
    doc = parseYaml(content, { maxAliasCount: 100, uniqueKeys: true });
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UnsafeKubeconfigError([{ path: '(root)', message: `is not valid YAML: ${why}` }]);
  }
  const problems = kubeconfigProblems(doc);
  if (problems.length > 0) throw new UnsafeKubeconfigError(problems);
  return JSON.stringify(doc);
}

export type ClusterCredentials = z.infer<typeof zClusterCredentials>;

/** kubeconfig wants base64 of PEM; users paste either. */
function base64Pem(data: string, field: string): string {
  const trimmed = data.trim();
  if (trimmed.includes('-----BEGIN')) return Buffer.from(trimmed).toString('base64');
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  if (!decoded.includes('-----BEGIN'))
    throw new KubeError(`${field} must be PEM or base64-encoded PEM`, 0, 'InvalidConfig');
  return trimmed;
}

function loadKubeConfig(creds: ClusterCredentials): { kc: KubeConfig; secrets: string[] } {
  const kc = new KubeConfig();
  switch (creds.type) {
    case 'kubeconfig': {
      if (!creds.path && !creds.content)
        throw new KubeError('kubeconfig needs a path or its content', 0, 'InvalidConfig');
      let text: string;
      try {
        text = creds.content ?? readFileSync(creds.path ?? '', 'utf8');
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new KubeError(
          `cannot load kubeconfig: ${e?.code === 'ENOENT' ? `file not found: ${creds.path}` : 'unreadable'}`,
          0,
          'InvalidConfig',
        );
      }
      // Checked before client-node sees it: it reads token-file while loading and runs exec per request.
      const safe = safeKubeconfigText(text);
      try {
        kc.loadFromString(safe);
      } catch {
        throw new KubeError('cannot load kubeconfig: not a valid kubeconfig', 0, 'InvalidConfig');
      }
      if (creds.context) {
        if (!kc.getContextObject(creds.context)) {
          const names =
            kc
              .getContexts()
              .map((c) => c.name)
              .join(', ') || 'none';
          throw new KubeError(
            `context "${creds.context}" not found in kubeconfig (available: ${names})`,
            0,
            'InvalidConfig',
          );
        }
        kc.setCurrentContext(creds.context);
      }
      break;
    }
    case 'token':
    case 'clientCert': {
      if (creds.insecure && creds.caData)
        throw new KubeError(
          'insecure cannot be combined with caData (as in kubectl): drop one of them',
          0,
          'InvalidConfig',
        );
      const cluster = {
        name: 'keelson',
        server: creds.server,
        caData: creds.caData ? base64Pem(creds.caData, 'caData') : undefined,
        skipTLSVerify: creds.insecure ?? false,
        tlsServerName: creds.tlsServerName,
      };
      const user =
        creds.type === 'token'
          ? { name: 'keelson', token: creds.token }
          : {
              name: 'keelson',
              certData: base64Pem(creds.certData, 'certData'),
              keyData: base64Pem(creds.keyData, 'keyData'),
            };
      kc.loadFromClusterAndUser(cluster, user);
      break;
    }
    case 'inCluster':
      if (!insideKubernetesPod())
        throw new KubeError(
          'not running inside a Kubernetes pod (KUBERNETES_SERVICE_HOST is unset)',
          0,
          'InvalidConfig',
        );
      kc.loadFromCluster();
      break;
  }
  const user = kc.getCurrentUser();
  const secrets = [user?.token, user?.password, user?.keyData].filter((s): s is string => typeof s === 'string');
  if (creds.type === 'token') secrets.push(creds.token);
  if (creds.type === 'clientCert') secrets.push(creds.keyData);
  return { kc, secrets };
}

/** Resolves credentials into a connection. Throws KubeError('InvalidConfig') for unusable settings; makes no request. */
export async function connect(input: ClusterCredentials): Promise<KubeConnection> {
  const parsed = zClusterCredentials.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KubeError(
      `invalid cluster credentials at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      0,
      'InvalidConfig',
    );
  }
  const { kc, secrets } = loadKubeConfig(parsed.data);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeError('the kubeconfig has no cluster for its current context', 0, 'InvalidConfig');
  if (!/^https?:\/\//.test(cluster.server))
    throw new KubeError(`server must be an http(s) URL, got "${cluster.server}"`, 0, 'InvalidConfig');
  const tls: https.RequestOptions = { headers: {} };
  try {
    await kc.applyToHTTPSOptions(tls);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new KubeError(
      `cannot load credentials: ${msg.split(secrets.join('|') || '\u0000').join('[redacted]')}`,
      0,
      'InvalidConfig',
    );
  }
  let agent: http.Agent;
  if (cluster.proxyUrl && tls.agent instanceof http.Agent) agent = tls.agent;
  else if (cluster.server.startsWith('http:')) agent = new http.Agent({ keepAlive: true });
  else {
    agent = new https.Agent({
      keepAlive: true,
      // As many idle connections as a busy controller uses at once (8 compares × 8 dry runs, 8 syncs × 10 applies):
      // fewer closes the rest after each burst, and every new request pays a TLS handshake on both sides.
      maxFreeSockets: 128,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
      servername: tls.servername,
    });
  }
  const ns = kc.getContextObject(kc.getCurrentContext())?.namespace;
  return new KubeConnection(kc, cluster.server, agent, secrets, ns);
}

const zVersionInfo = z.looseObject({
  major: z.string(),
  minor: z.string(),
  gitVersion: z.string(),
  gitCommit: z.string().optional(),
  platform: z.string().optional(),
  goVersion: z.string().optional(),
});
export type KubeVersion = z.infer<typeof zVersionInfo>;

const zSelfSubjectReview = z.looseObject({
  status: z
    .looseObject({
      userInfo: z.looseObject({ username: z.string().optional(), groups: z.array(z.string()).optional() }).optional(),
    })
    .optional(),
});

export type ClusterCheck =
  | { ok: true; version: KubeVersion; user?: { username: string; groups: string[] } }
  | { ok: false; message: string; status?: number };

function refusal(err: unknown, conn: KubeConnection): ClusterCheck {
  if (isKubeError(err)) return { ok: false, message: conn.redact(err.message), status: err.status || undefined };
  return { ok: false, message: conn.redact(err instanceof Error ? err.message : String(err)) };
}

/**
 * Calls /version (often public) and then an authenticated API (SelfSubjectReview, falling back to
 * listing one namespace), so that wrong or missing credentials are refused. Never throws.
 */
export async function checkCluster(conn: KubeConnection, { timeoutMs = 10_000 } = {}): Promise<ClusterCheck> {
  let version: KubeVersion;
  try {
    const body = await conn.requestOk({ method: 'GET', path: '/version', timeoutMs });
    const parsed = zVersionInfo.safeParse(JSON.parse(body));
    if (!parsed.success)
      return { ok: false, message: `${conn.server}/version did not answer like a Kubernetes API server` };
    version = parsed.data;
  } catch (err) {
    if (err instanceof SyntaxError)
      return { ok: false, message: `${conn.server}/version did not answer JSON; is this a Kubernetes API server?` };
    return refusal(err, conn);
  }
  try {
    const res = await conn.request({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      timeoutMs,
    });
    if (res.status === 404) {
      await conn.requestOk({ method: 'GET', path: '/api/v1/namespaces', query: { limit: 1 }, timeoutMs });
      return { ok: true, version };
    }
    if (res.status === 403) {
      return {
        ok: false,
        status: 403,
        message:
          'the API server treated the request as anonymous or unprivileged: the credentials were not accepted (403 Forbidden)',
      };
    }
    if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.body, 'SelfSubjectReview');
    const info = zSelfSubjectReview.safeParse(JSON.parse(res.body)).data?.status?.userInfo;
    const username = info?.username ?? '';
    if (username === 'system:anonymous')
      return {
        ok: false,
        status: 401,
        message: 'the API server treated the request as anonymous: no credentials were accepted',
      };
    return { ok: true, version, user: username ? { username, groups: info?.groups ?? [] } : undefined };
  } catch (err) {
    return refusal(err, conn);
  }
}
