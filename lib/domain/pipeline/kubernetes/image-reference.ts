/**
 * Container image references parsed and normalised as docker (distribution/reference's
 * ParseNormalizedNamed) does: `busybox` is docker.io/library/busybox:latest, `alpine/git` is
 * docker.io/alpine/git:latest, a first component with a `.` or `:` or `localhost` names the registry
 * (`ghcr.io/x/y`, `host:5000/x:tag`, `[::1]:5000/x`), `@sha256:<hex>` pins a digest. Pure.
 *
 *   reference := name [":" tag] ["@" digest]
 *   name      := [domain "/"] path-component ("/" path-component)*
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator := [_.] | "__" | "-"+
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex (sha256: 64 lower-case hex, sha512: 128)
 */

export const DOCKER_HUB = 'docker.io';

export interface ImageReference {
  /** Registry host as written (lower case), docker.io for Docker Hub; may carry a port (`host:5000`, `[::1]:5000`). */
  registry: string;
  /** Repository path inside the registry, e.g. `library/busybox`, `alpine/git`. */
  repository: string;
  /** The tag; `latest` when neither tag nor digest was given; absent with a digest only. */
  tag?: string;
  /** `sha256:<hex>` when pinned. */
  digest?: string;
}

export class ImageReferenceError extends Error {}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;
const DIGEST_HEX: Record<string, RegExp> = { sha256: /^[a-f0-9]{64}$/, sha512: /^[a-f0-9]{128}$/ };
const NAME_MAX = 255;

const fail = (image: string, why: string): never => {
  throw new ImageReferenceError(`"${image}" is not a valid image reference: ${why}`);
};

/** The digest algorithm:hex if valid (sha256/sha512 with their exact lengths), else throws. */
function checkDigest(image: string, digest: string): string {
  const m = DIGEST.exec(digest);
  const hex = m ? DIGEST_HEX[m[1]] : undefined;
  if (!m || !hex?.test(m[2])) fail(image, `"${digest}" is not a digest (sha256: followed by 64 lower-case hex digits)`);
  return digest;
}

/** Splits the registry off a name as docker's splitDockerDomain does. */
function splitDomain(name: string): { registry: string; remainder: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isDomain = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let registry = isDomain ? first.toLowerCase() : DOCKER_HUB;
  let remainder = isDomain ? name.slice(slash + 1) : name;
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !remainder.includes('/')) remainder = `library/${remainder}`;
  return { registry, remainder };
}

/** Parses and normalises `image`; throws ImageReferenceError with a sentence on what is wrong. */
export function parseImageReference(input: string): ImageReference {
  const image = input.trim();
  if (!image) fail(input, 'it is empty');
  if (image.length > 4096) fail(image.slice(0, 64), 'it is too long');
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = checkDigest(image, rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      fail(image, `"${tag}" is not a tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  if (!rest) fail(image, 'it has no repository name');
  const { registry, remainder } = splitDomain(rest);
  if (!DOMAIN.test(registry)) fail(image, `"${registry}" is not a registry host`);
  if (remainder.length + registry.length + 1 > NAME_MAX) fail(image, `the name is longer than ${NAME_MAX} characters`);
  if (remainder.toLowerCase() !== remainder) fail(image, 'repository names must be lower case');
  const components = remainder.split('/');
  if (!components.every((c) => PATH_COMPONENT.test(c))) {
    fail(image, 'each part of the repository path is lower-case letters and digits, separated by . _ __ or -');
  }
  if (!tag && !digest) tag = 'latest';
  return { registry, repository: remainder, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `registry/repository[:tag][@digest]`, fully qualified. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** What to ask the registry's manifest endpoint for: the digest when pinned, else the tag. */
export function manifestReferenceOf(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/**
 * The registry host part of a `dockerconfigjson` auths key, as kubelet matches them: scheme and
 * path dropped, Docker Hub's aliases (index.docker.io, registry-1.docker.io, https://index.docker.io/v1/)
 * are docker.io. Returns the host and the path prefix the key is limited to ('' for the whole host).
 */
export function normaliseAuthKey(key: string): { host: string; path: string } {
  const bare = key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/+$/, '');
  const slash = bare.indexOf('/');
  let host = (slash === -1 ? bare : bare.slice(0, slash)).toLowerCase();
  let path = slash === -1 ? '' : bare.slice(slash + 1);
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === DOCKER_HUB) {
    host = DOCKER_HUB;
    if (path === 'v1' || path === 'v2') path = '';
  }
  return { host, path };
}

/** Whether an auths key (host possibly `*.example.com`, optional path prefix) covers `ref`. */
export function authKeyMatches(key: string, ref: Pick<ImageReference, 'registry' | 'repository'>): boolean {
  const { host, path } = normaliseAuthKey(key);
  const hostMatches = host.startsWith('*.')
    ? ref.registry.endsWith(host.slice(1)) && !ref.registry.slice(0, -host.length + 1).includes('.')
    : host === ref.registry;
  return hostMatches && (path === '' || ref.repository === path || ref.repository.startsWith(`${path}/`));
}
