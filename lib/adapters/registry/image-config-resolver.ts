/**
 * The image's own Entrypoint/Cmd (OCI config, linux/amd64), read from its registry as Tekton's
 * controller does (go-containerregistry + k8schain) for steps without a command or script.
 * Results are cached by manifest digest (bounded LRU); a tag's digest for a short time (tags move);
 * concurrent lookups of one image share one set of requests.
 */
import { mirrorFor } from '@/lib/domain/pipeline/kubernetes/image-reference-mirrors';
import {
  DOCKER_HUB,
  formatImageReference,
  ImageReferenceError,
  manifestReferenceOf,
  parseImageReference,
  type ImageReference,
} from '@/lib/domain/pipeline/kubernetes/image-reference';
import type { TEnv } from '@/lib/env';
import { BoundedCache } from './bounded-cache';
import { ImageConfigError } from './image-config-error';
import {
  ACCEPT_MANIFESTS,
  ManifestError,
  parseImageConfig,
  parseManifest,
  pickPlatform,
  platformsOf,
  sha256Of,
} from './image-manifest';
import { credentialsFingerprint, credentialsFor, type BasicCredentials, type DockerConfigJson } from './registry-auth';
import { ClientError, headerOf, repositoryGet, type RepositorySession } from './registry-client';
import { RefusedHostError, type PrivateRegistryHosts } from './registry-host-guard';
import {
  createRegistryAgents,
  isLoopbackHost,
  PlainHttpError,
  TooLargeError,
  TooManyRedirectsError,
  type HttpPolicy,
} from './registry-http';

export interface ImageCommand {
  /** The digest the reference resolved to (an index's own digest for multi-platform images). */
  digest: string;
  entrypoint: string[];
  cmd: string[];
}

export interface ImageConfigResolver {
  /** The image's Entrypoint/Cmd (OCI config), for linux/amd64; cached by digest. Throws ImageConfigError. */
  commandOf(image: string, options?: { pullSecrets?: DockerConfigJson[]; signal?: AbortSignal }): Promise<ImageCommand>;
}

export interface ImageConfigResolverOptions {
  /** Registry host (`docker.io`, `ghcr.io`, `_default`) -> mirror origin (`http://127.0.0.1:5000`). */
  mirrors?: Record<string, string>;
  /** KEELSON_ALLOW_PRIVATE_REGISTRY_HOSTS: true, false, or private host names / CIDR ranges. */
  allowPrivateHosts?: PrivateRegistryHosts;
  /** Entries kept per cache (digest -> command, tag -> digest); default 500. */
  cacheSize?: number;
  /** One lookup's deadline; default 30 s. */
  timeoutMs?: number;
  /** How long a tag's digest is trusted; default 60 s. */
  tagTtlMs?: number;
  /** Called before every HTTP request with its URL (metrics, tests). */
  onRequest?: (url: string) => void;
}

export const MANIFEST_LIMIT = 4 * 1024 * 1024;
export const CONFIG_LIMIT = 4 * 1024 * 1024;

/** Turns whatever a lookup threw into an ImageConfigError for `image` (no credentials, no addresses). */
function toImageConfigError(image: string, registry: string, error: unknown, timedOut: boolean): ImageConfigError {
  if (error instanceof ImageConfigError) return error;
  if (timedOut) return new ImageConfigError('TIMEOUT', image, `the registry ${registry} did not answer in time`);
  if (error instanceof ClientError) return new ImageConfigError(error.code, image, error.message);
  if (error instanceof RefusedHostError || error instanceof PlainHttpError) {
    return new ImageConfigError(
      'REFUSED_HOST',
      image,
      error.message,
      'give the step a command, or use an allowed registry',
    );
  }
  if (error instanceof TooLargeError) return new ImageConfigError('TOO_LARGE', image, error.message);
  if (error instanceof TooManyRedirectsError || error instanceof ManifestError) {
    return new ImageConfigError('BAD_RESPONSE', image, error.message);
  }
  const code = (error as { code?: unknown })?.code;
  const why = typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : 'a network error';
  return new ImageConfigError('UNREACHABLE', image, `the registry ${registry} cannot be reached (${why})`);
}

export function createImageConfigResolver(options: ImageConfigResolverOptions = {}): ImageConfigResolver {
  const mirrors = options.mirrors ?? {};
  const allowPrivate = options.allowPrivateHosts ?? false;
  const cacheSize = Math.max(1, options.cacheSize ?? 500);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const tagTtlMs = options.tagTtlMs ?? 60_000;
  const byDigest = new BoundedCache<ImageCommand>(cacheSize);
  const tagDigests = new BoundedCache<string>(cacheSize);
  const authCache = new BoundedCache<string>(cacheSize);
  const inFlight = new Map<string, Promise<ImageCommand>>();
  const mirrorOrigins = new Set(Object.values(mirrors));
  const policy: HttpPolicy = { allowPrivate, mirrorOrigins, agents: createRegistryAgents() };

  /** Where to send requests for `ref`: its mirror, the registry itself when it is a mirror's origin, or https. */
  function endpointOf(ref: ImageReference): { origin: string; mirrorHost?: string } {
    const mirror = mirrorFor(mirrors, ref.registry);
    if (mirror) return { origin: mirror, mirrorHost: new URL(mirror).host };
    for (const origin of [`https://${ref.registry}`, `http://${ref.registry}`]) {
      if (mirrorOrigins.has(origin)) return { origin };
    }
    // Docker (insecure-registries default 127.0.0.0/8) speaks plain http to a registry on this host.
    if (allowPrivate === true && isLoopbackHost(new URL(`http://${ref.registry}`).hostname)) {
      return { origin: `http://${ref.registry}` };
    }
    return { origin: ref.registry === DOCKER_HUB ? 'https://registry-1.docker.io' : `https://${ref.registry}` };
  }

  async function lookup(ref: ImageReference, session: RepositorySession, cacheBase: string): Promise<ImageCommand> {
    const wanted = manifestReferenceOf(ref);
    const res = await repositoryGet(session, `manifests/${wanted}`, ACCEPT_MANIFESTS, MANIFEST_LIMIT);
    if (res.status === 404) {
      const name = `${ref.repository}${ref.digest ? '@' : ':'}${wanted}`;
      throw new ClientError('NOT_FOUND', `the registry ${session.registryName} has no image ${name}`);
    }
    if (res.status !== 200)
      throw new ClientError('BAD_RESPONSE', `the registry answered ${res.status} for the manifest`);
    const actual = sha256Of(res.body);
    if (ref.digest && actual !== ref.digest) {
      throw new ClientError(
        'BAD_RESPONSE',
        'the manifest the registry sent does not match the digest in the reference',
      );
    }
    const served = headerOf(res, 'docker-content-digest');
    const digest = ref.digest ?? (served && /^sha256:[a-f0-9]{64}$/.test(served) ? served : actual);
    const known = byDigest.get(`${cacheBase}@${digest}`);
    if (known) return known;
    let manifest = parseManifest(res.body, headerOf(res, 'content-type'));
    if (manifest.kind === 'index') {
      const child = pickPlatform(manifest.manifests);
      if (!child) {
        const offered = platformsOf(manifest.manifests);
        throw new ClientError('NO_PLATFORM', `the image has no linux/amd64 variant (it offers ${offered})`);
      }
      const childRes = await repositoryGet(session, `manifests/${child}`, ACCEPT_MANIFESTS, MANIFEST_LIMIT);
      if (childRes.status !== 200 || sha256Of(childRes.body) !== child) {
        throw new ClientError('BAD_RESPONSE', `the registry answered ${childRes.status} for the linux/amd64 manifest`);
      }
      manifest = parseManifest(childRes.body, headerOf(childRes, 'content-type'));
      if (manifest.kind !== 'manifest') throw new ClientError('BAD_RESPONSE', 'an image index points at another index');
    }
    if ((manifest.configSize ?? 0) > CONFIG_LIMIT) {
      throw new ClientError('TOO_LARGE', `the image config is ${manifest.configSize} bytes (limit ${CONFIG_LIMIT})`);
    }
    const blob = await repositoryGet(session, `blobs/${manifest.configDigest}`, '*/*', CONFIG_LIMIT);
    if (blob.status !== 200)
      throw new ClientError('BAD_RESPONSE', `the registry answered ${blob.status} for the image config`);
    if (sha256Of(blob.body) !== manifest.configDigest) {
      throw new ClientError('BAD_RESPONSE', 'the image config the registry sent does not match its digest');
    }
    const result = { digest, ...parseImageConfig(blob.body) };
    byDigest.set(`${cacheBase}@${digest}`, result);
    return result;
  }

  function withCallerSignal<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return work;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async function commandOf(
    image: string,
    opts: { pullSecrets?: DockerConfigJson[]; signal?: AbortSignal } = {},
  ): Promise<ImageCommand> {
    let ref: ImageReference;
    try {
      ref = parseImageReference(image);
    } catch (error) {
      if (!(error instanceof ImageReferenceError)) throw error;
      throw new ImageConfigError('INVALID_REFERENCE', image, error.message, "fix the step's image");
    }
    const { origin, mirrorHost } = endpointOf(ref);
    const credentials = credentialsFor(opts.pullSecrets, ref, mirrorHost);
    const fingerprint = credentialsFingerprint(credentials);
    const cacheBase = `${origin}/${ref.repository}|${fingerprint}`;
    const tagKey = `${cacheBase}:${ref.tag ?? ''}`;
    const digest = ref.digest ?? tagDigests.get(tagKey);
    const cached = digest ? byDigest.get(`${cacheBase}@${digest}`) : undefined;
    const shared =
      cached ??
      (await withCallerSignal(lookupShared(ref, origin, mirrorHost, credentials, fingerprint), opts.signal).catch(
        (error: unknown) => {
          // A shared lookup's error names the image as this caller wrote it.
          if (!(error instanceof ImageConfigError)) throw error;
          throw new ImageConfigError(error.code, image.trim(), error.detail, error.fix);
        },
      ));
    if (shared.entrypoint.length === 0 && shared.cmd.length === 0) {
      throw new ImageConfigError(
        'NO_COMMAND',
        image.trim(),
        'the image sets neither Entrypoint nor Cmd',
        'give the step a command',
      );
    }
    // Callers get their own arrays: the cached entry is shared by every TaskRun.
    return { digest: shared.digest, entrypoint: [...shared.entrypoint], cmd: [...shared.cmd] };
  }

  /** One lookup per registry/repository/reference/credentials at a time; the others wait for it. */
  function lookupShared(
    ref: ImageReference,
    origin: string,
    mirrorHost: string | undefined,
    credentials: BasicCredentials | null,
    fingerprint: string,
  ): Promise<ImageCommand> {
    const cacheBase = `${origin}/${ref.repository}|${fingerprint}`;
    const tagKey = `${cacheBase}:${ref.tag ?? ''}`;
    const flightKey = `${cacheBase}:${manifestReferenceOf(ref)}`;
    let flight = inFlight.get(flightKey);
    if (!flight) {
      const deadline = AbortSignal.timeout(timeoutMs);
      const session: RepositorySession = {
        origin,
        registryName: mirrorHost ? `${ref.registry} (mirror ${mirrorHost})` : ref.registry,
        repository: ref.repository,
        credentials,
        fingerprint,
        policy,
        signal: deadline,
        authCache,
        onRequest: options.onRequest,
      };
      const display = formatImageReference(ref);
      flight = lookup(ref, session, cacheBase)
        .then((result) => {
          if (!ref.digest) tagDigests.set(tagKey, result.digest, tagTtlMs);
          return result;
        })
        .catch((error: unknown) => {
          throw toImageConfigError(display, session.registryName, error, deadline.aborted);
        })
        .finally(() => inFlight.delete(flightKey));
      inFlight.set(flightKey, flight);
    }
    return flight;
  }

  return { commandOf };
}

/** The resolver configured by KEELSON_REGISTRY_MIRRORS and KEELSON_ALLOW_PRIVATE_REGISTRY_HOSTS (lib/env.ts). */
export function imageConfigResolverFromEnv(
  e: Pick<TEnv, 'KEELSON_REGISTRY_MIRRORS' | 'KEELSON_ALLOW_PRIVATE_REGISTRY_HOSTS'>,
  extra: Omit<ImageConfigResolverOptions, 'mirrors' | 'allowPrivateHosts'> = {},
): ImageConfigResolver {
  return createImageConfigResolver({
    ...extra,
    mirrors: e.KEELSON_REGISTRY_MIRRORS,
    allowPrivateHosts: e.KEELSON_ALLOW_PRIVATE_REGISTRY_HOSTS,
  });
}
