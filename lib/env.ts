import { z } from 'zod';
import { parseCidr } from '@/lib/domain/gitops/repo-address';
import { parseRunRetention } from '@/lib/domain/pipeline/run-retention';
import { parseImageReference } from '@/lib/domain/pipeline/kubernetes/image-reference';
import { parseRegistryMirrors } from '@/lib/domain/pipeline/kubernetes/image-reference-mirrors';
import { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE } from '@/lib/domain/pipeline/kubernetes/images';

/**
 * The one place that reads configuration. Every setting is validated here so that a bad value stops
 * start-up with a message naming the variable, instead of failing later somewhere deep.
 */
const port = z.coerce.number().int().min(1).max(65535);
const optionalUrl = z.string().url().optional();
/** `/a/./b/../c/` → `/a/c`, without node:path (this module is also bundled for the web app). */
function normaliseAbsolute(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
  }
  return `/${parts.join('/')}`;
}
/** Paths a sandbox already provides, or that would hide it: listing them would break every step. */
const SANDBOX_RESERVED = ['/proc', '/dev', '/workspace', '/tekton'];
const sandboxPath = z
  .string()
  .refine((p) => p.startsWith('/'), { message: 'each path must be absolute (start with "/")' })
  .transform(normaliseAbsolute)
  .refine((p) => p !== '/' && p !== '/tmp' && !SANDBOX_RESERVED.some((r) => p === r || p.startsWith(`${r}/`)), {
    message: `a path cannot be "/", "/tmp" or under ${SANDBOX_RESERVED.join(', ')}; list the folder you want steps to read, e.g. /srv/git`,
  });

/** An image reference a pod names as written (`registry/repository:tag` or `@sha256:...`), checked at start-up. */
const podImage = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    try {
      parseImageReference(v);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  });

/** Comma- or whitespace-separated secrets, newest first, each 32+ characters (e.g. `openssl rand -base64 32`). */
const keyList = z
  .string()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().min(32, 'each key must be at least 32 characters')))
  .default([]);

/** The password secret.yaml ships with; Keelson refuses to connect with it, as it refuses the placeholder keys. */
const PLACEHOLDER_PASSWORD = 'CHANGE-ME';
/** The password of a postgres:// URL, percent-decoded; undefined when the URL does not parse or has none. */
function databasePassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** Comma-separated Kubernetes object names (runtime classes, schedulers, priority classes) an administrator allows. */
const podNameList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/,
          'each entry must be a Kubernetes name such as gvisor or ci-low',
        ),
    ),
  )
  .default([]);

export const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: port.default(3000),
  /** Address the web server listens on (see bindHost); the Docker image and manifests set 0.0.0.0. */
  KEELSON_HOST: z.string().min(1).optional(),
  /** Before KEELSON_HOST: honoured only when it is an IP address (shells and containers set it to a host name). */
  HOSTNAME: z.string().optional(),
  /** When set, GET /metrics wants `Authorization: Bearer <this>`; unset leaves it open for scrapers on a trusted network. */
  KEELSON_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Days a trigger's webhook deliveries are kept (and replays of their delivery ids refused). */
  KEELSON_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).default(14),
  /**
   * Days a finished TaskRun keeps its log lines in the database; housekeeping then deletes them (the run stays and
   * its page says the logs were removed by retention). 0 keeps logs as long as their run.
   */
  KEELSON_LOG_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a whole number of days such as 30 (0 keeps logs as long as their run)' })
    .int('must be a whole number of days such as 30 (0 keeps logs as long as their run)')
    .min(0, 'must be 0 (keep logs as long as their run) or more days, such as 30')
    .default(30),
  /** Which finished runs housekeeping deletes: `keep=<N>` per pipeline and/or `max-age=<30d|12h|90m>`; see run-retention.ts. */
  KEELSON_RUN_RETENTION: z
    .string()
    .default('unlimited')
    .transform((v, ctx) => {
      try {
        return parseRunRetention(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  KEELSON_URL: optionalUrl,
  KEELSON_DATA_DIR: z.string().min(1).default('./.keelson'),
  /** Set by `npm start` for its children: the supervisor's state file, which /api/readyz reports from. */
  KEELSON_SUPERVISOR_STATE_FILE: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .refine((url) => databasePassword(url) !== PLACEHOLDER_PASSWORD, {
      message: `its password is the placeholder ${PLACEHOLDER_PASSWORD} (deploy/kubernetes/secret.yaml), which everyone knows: generate one with \`openssl rand -hex 24\` and put it in POSTGRES_PASSWORD and in DATABASE_URL (postgres://keelson:<password>@...)`,
    })
    .optional(),
  /** Before separate keys: one secret for sessions and sealing. Still read (old sessions, v1 sealed values). */
  KEELSON_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Keys that seal secrets at rest, newest (the one that seals) first; older ones only open. */
  KEELSON_SEALING_KEYS: keyList,
  /** Keys that sign session cookies, newest first; older ones still verify until their sessions expire. */
  KEELSON_SESSION_KEYS: keyList,
  KEELSON_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  KEELSON_OIDC_ISSUER: optionalUrl,
  KEELSON_OIDC_CLIENT_ID: z.string().min(1).optional(),
  KEELSON_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  KEELSON_OIDC_SCOPES: z.string().default('openid profile email'),
  /** The claim that holds a user's groups when argocd-rbac-cm sets no `scopes` (which then win). */
  KEELSON_OIDC_GROUPS_CLAIM: z.string().default('groups'),
  /** Comma-separated groups; when set, an SSO login whose groups (by the RBAC `scopes`) meet none of them is refused. */
  KEELSON_OIDC_ALLOWED_GROUPS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean),
    ),
  KEELSON_OIDC_NAME: z.string().default('SSO'),
  /** Login attempts allowed per minute for one username. */
  KEELSON_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Login attempts allowed per minute from one IP address (higher: many users may share an address). */
  KEELSON_LOGIN_IP_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  KEELSON_SESSION_HOURS: z.coerce.number().int().min(1).default(24),
  KEELSON_HOUSEKEEPING_CRON: z.string().default('*/10 * * * *'),
  /** Allow file:// and local-path repository URLs (on in development and tests, off in production). */
  KEELSON_ALLOW_LOCAL_REPOS: z.enum(['true', 'false']).optional(),
  /**
   * Private-network Git servers (10/8, 172.16/12, 192.168/16, 100.64/10, 198.18/15, fc00::/7) the server may
   * fetch from: `true` (all), `false`, or host names and CIDR ranges, comma- or space-separated
   * (`gitlab.corp.example,10.20.0.0/16`). Unset: all when local repositories are allowed, else none.
   */
  KEELSON_ALLOW_PRIVATE_REPO_HOSTS: z
    .string()
    .transform((v): 'all' | 'none' | string[] => {
      const t = v.trim().toLowerCase();
      return t === 'true' ? 'all' : t === 'false' ? 'none' : t.split(/[\s,]+/).filter(Boolean);
    })
    .refine(
      (v) =>
        typeof v === 'string' || v.every((e) => (e.includes('/') ? parseCidr(e) !== null : /^[a-z0-9.-]+$/.test(e))),
      {
        message: 'must be true, false, or host names and CIDR ranges such as gitlab.corp.example,10.20.0.0/16',
      },
    )
    .optional(),
  /**
   * Registry mirrors for image config lookups (the Kubernetes executor reads a step image's Entrypoint/Cmd):
   * `docker.io=http://127.0.0.1:5000,ghcr.io=https://mirror.corp.example,_default=...`. A mirror may be
   * plain http and on a private or loopback address; it serves the same repository paths.
   */
  KEELSON_REGISTRY_MIRRORS: z
    .string()
    .transform((v, ctx) => {
      try {
        return parseRegistryMirrors(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    })
    .default({}),
  /**
   * Registries on private networks image config lookups may reach: `true` (all, loopback and link-local
   * too: development and tests), `false`, or host names and CIDR ranges (`harbor.corp.example,10.20.0.0/16`).
   */
  KEELSON_ALLOW_PRIVATE_REGISTRY_HOSTS: z
    .string()
    .transform((v): boolean | string[] => {
      const t = v.trim().toLowerCase();
      return t === 'true' ? true : t === 'false' ? false : t.split(/[\s,]+/).filter(Boolean);
    })
    .refine(
      (v) =>
        typeof v === 'boolean' || v.every((e) => (e.includes('/') ? parseCidr(e) !== null : /^[a-z0-9.:-]+$/.test(e))),
      { message: 'must be true, false, or host names and CIDR ranges such as harbor.corp.example,10.20.0.0/16' },
    )
    .default(false),
  /**
   * The registered cluster pipelines run on (the Kubernetes executor), by name; wins over Settings → Pipelines.
   * Unset: the stored setting decides (the local executor until a cluster is chosen there).
   */
  KEELSON_PIPELINE_CLUSTER: z
    .string()
    .trim()
    .transform((v) => v || undefined)
    .optional(),
  /**
   * Let TaskRun pods on the pipeline cluster have what a shared cluster refuses (hostPath and node-mounted volumes,
   * host namespaces, privileged containers, control-plane tolerations, ...). Only for a cluster of one trusted team.
   */
  KEELSON_ALLOW_PRIVILEGED_PODS: z.enum(['true', 'false']).default('false'),
  /** runtimeClassName values a TaskRun's podTemplate may set (comma-separated; default none). */
  KEELSON_POD_RUNTIME_CLASSES: podNameList,
  /** schedulerName values a TaskRun's podTemplate may set besides default-scheduler (comma-separated; default none). */
  KEELSON_POD_SCHEDULERS: podNameList,
  /** priorityClassName values a TaskRun's podTemplate may set (comma-separated; default none). */
  KEELSON_POD_PRIORITY_CLASSES: podNameList,
  /**
   * The image every TaskRun pod copies Tekton's entrypoint from (binary at /ko-app/entrypoint, as ko lays it out), and
   * the shell image that writes step scripts: an air-gapped installation names its mirror's copies.
   */
  KEELSON_ENTRYPOINT_IMAGE: podImage.default(DEFAULT_ENTRYPOINT_IMAGE),
  KEELSON_SHELL_IMAGE: podImage.default(DEFAULT_SHELL_IMAGE),
  /** TaskRuns one worker process runs at once. */
  KEELSON_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Host paths pipeline steps may read inside the sandbox (read-only, same path), colon- or comma-separated. */
  KEELSON_SANDBOX_READONLY_PATHS: z
    .string()
    .transform((v) =>
      v
        .split(/[:,]/)
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(sandboxPath))
    .default([]),
  /**
   * Run pipeline steps as plain processes when no sandbox (bubblewrap) works here. Only for a
   * single-user machine: steps then see the host, its files and its network as Keelson does.
   */
  KEELSON_ALLOW_UNSANDBOXED: z.enum(['true', 'false']).default('false'),
  /** Steps' network: `outbound` (own namespace, internet through slirp4netns, no host loopback) or `none` (loopback only). */
  KEELSON_STEP_NETWORK: z.enum(['outbound', 'none']).default('outbound'),
  /** IPv4 ranges steps never reach, besides loopback, link-local and the host's own addresses (comma-separated CIDRs). */
  KEELSON_STEP_DENY_CIDRS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.cidrv4({ message: 'each entry must be an IPv4 range such as 10.0.0.0/8 or 172.18.0.5/32' })))
    .default([]),
  /** CPU niceness of step processes (-20..19, default 10; not a number: 10), so steps yield to the engine and the database. */
  KEELSON_STEP_NICE: z
    .string()
    .optional()
    .transform((v) => {
      const n = Math.trunc(Number(v ?? 10));
      return Number.isFinite(n) ? Math.max(-20, Math.min(19, n)) : 10;
    }),
  /** What starts step processes: `node` (the Node helper only), else a python3 helper, then the Node one. */
  KEELSON_STEP_SPAWNER: z
    .string()
    .optional()
    .transform((v): 'auto' | 'node' => (v === 'node' ? 'node' : 'auto')),
  /** Host user steps run as when Keelson runs as root (created if missing; `nobody` when it cannot be). */
  KEELSON_STEP_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a user name such as keelson-step')
    .default('keelson-step'),
  /** Minutes a finished TaskRun of a PipelineRun keeps its scratch folder (results, steps, home, tmp) on the worker. */
  KEELSON_KEEP_TASKRUN_FOLDERS_MINUTES: z.coerce.number().int().min(0).default(60),
  KEELSON_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Seconds between two periodic refreshes of an application (Argo CD's timeout.reconciliation). */
  KEELSON_APP_RESYNC_SECONDS: z.coerce.number().int().min(5).default(180),
  /**
   * Argo CD's resource.ignoreResourceUpdatesEnabled: a live update that only moved an object's status (its health
   * status and message unchanged) does not refresh its application. 'false' refreshes on every update.
   */
  KEELSON_IGNORE_RESOURCE_UPDATES: z.enum(['true', 'false']).default('true'),
  /** Applications the controller reconciles or syncs at once. */
  KEELSON_CONTROLLER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /**
   * Seconds a controller's membership (and a sync operation's lease) lasts without renewal (renewed every third of
   * it): a controller that dies hands its applications to the others within this time.
   */
  KEELSON_CONTROLLER_LEASE_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds such as 15' })
    .int('must be a whole number of seconds such as 15')
    .min(3, 'must be 3 seconds or more (renewed every third of it), such as 15')
    .max(600, 'must be 600 seconds or less: a dead controller keeps its apps this long')
    .default(15),
  /** helm and kustomize binaries (default: on PATH, else the ones `npm run cluster:build` made). */
  KEELSON_HELM_BIN: z.string().min(1).optional(),
  KEELSON_KUSTOMIZE_BIN: z.string().min(1).optional(),
  /** Where `npm run cluster:build` leaves helm and kustomize (default ~/.cache/keelson). */
  KEELSON_CACHE_DIR: z.string().min(1).optional(),
  /** The host's search path: where bubblewrap, python3, helm and kustomize are found; steps start with it. */
  PATH: z.string().optional(),
  /**
   * Hosts kustomize may fetch remote bases from (`github.com`, `git.example.com:8443`), comma- or
   * space-separated; default none: renders see only the checkout and have no network.
   */
  KEELSON_RENDER_ALLOWED_HOSTS: z
    .string()
    .transform((v) =>
      v
        .split(/[\s,]+/)
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/, 'each entry must be a host name, optionally with :port')),
    )
    .default([]),
});
export type TEnv = z.infer<typeof ZEnv>;

export class EnvError extends Error {}

function describe(issues: z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`).join('\n');
}

export function parseEnv(source: Record<string, string | undefined> = process.env): TEnv {
  // Empty strings mean "unset": docker-compose and shells often pass VAR= for unset values.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = ZEnv.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      `Invalid configuration:\n${describe(result.error.issues)}\nFix these environment variables and start again.`,
    );
  }
  const env = result.data;
  const oidc = [env.KEELSON_OIDC_ISSUER, env.KEELSON_OIDC_CLIENT_ID, env.KEELSON_OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new EnvError(
      'Invalid configuration:\n  KEELSON_OIDC_ISSUER, KEELSON_OIDC_CLIENT_ID and KEELSON_OIDC_CLIENT_SECRET must be set together.\nSet all three to enable SSO, or none to disable it.',
    );
  }
  return env;
}

/**
 * The variables of this process's environment a child process may be handed: the search path, the
 * temporary folder, the locale and the proxies. Never a setting of Keelson's own (keys, passwords,
 * DATABASE_URL): those reach no child.
 */
export const HOST_VARIABLES = [
  'PATH',
  'TMPDIR',
  'LANG',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
] as const;
export type HostVariable = (typeof HOST_VARIABLES)[number];

/**
 * The named variables of this process's own environment, to hand on to a child process that needs
 * them (git's PATH, TMPDIR and proxies). The one place besides parseEnv that reads process.env, so a
 * child's environment is always built on purpose, never copied whole; a name outside HOST_VARIABLES is
 * refused (at compile time, and at run time for a caller that got round the type).
 */
export function hostEnvironment(names: readonly HostVariable[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    if (!(HOST_VARIABLES as readonly string[]).includes(name))
      throw new Error(`${name} is not a variable a child process may be handed (see HOST_VARIABLES in lib/env.ts)`);
    const value = process.env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Whether this process runs in a Kubernetes pod (Kubernetes sets KUBERNETES_SERVICE_HOST in every one). */
export function insideKubernetesPod(): boolean {
  return Boolean(process.env.KUBERNETES_SERVICE_HOST);
}

let cached: TEnv | undefined;
/** The validated environment of this process, parsed once. */
export function env(): TEnv {
  cached ??= parseEnv();
  return cached;
}

export function oidcEnabled(e: TEnv = env()): boolean {
  return Boolean(e.KEELSON_OIDC_ISSUER && e.KEELSON_OIDC_CLIENT_ID && e.KEELSON_OIDC_CLIENT_SECRET);
}

const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)$/i;

/**
 * Where the web server listens: KEELSON_HOST; else HOSTNAME when it is an IP address (the setting
 * before KEELSON_HOST; a host name there is what Docker, Kubernetes and shells put in it, not a
 * choice); else 127.0.0.1, so a plain `npm start` is not reachable from the network.
 */
export function bindHost(e: TEnv = env()): string {
  if (e.KEELSON_HOST) return e.KEELSON_HOST;
  if (e.HOSTNAME && IP_ADDRESS.test(e.HOSTNAME)) return e.HOSTNAME;
  return '127.0.0.1';
}

export function publicUrl(e: TEnv = env()): string {
  return e.KEELSON_URL ?? `http://localhost:${e.PORT}`;
}
