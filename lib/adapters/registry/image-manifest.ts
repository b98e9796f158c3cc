/**
 * OCI / Docker v2 manifests and image configs as the distribution API serves them: an index (OCI
 * image index, Docker manifest list) names one manifest per platform; a manifest names the config
 * blob, whose `config.Entrypoint` / `config.Cmd` is what a container runs without a command.
 */
import { createHash } from 'node:crypto';

export const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
export const ACCEPT_MANIFESTS = [...INDEX_TYPES, ...MANIFEST_TYPES].join(', ');

export const PLATFORM = { os: 'linux', architecture: 'amd64' };

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export type ParsedManifest =
  | { kind: 'index'; manifests: { digest: string; os?: string; architecture?: string; variant?: string }[] }
  | { kind: 'manifest'; configDigest: string; configSize?: number };

export class ManifestError extends Error {}

export const sha256Of = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a manifest body; `contentType` from the answer, else the body's own `mediaType`. */
export function parseManifest(body: Buffer, contentType: string | undefined): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ManifestError('the registry answered with a manifest that is not JSON');
  }
  if (!isRecord(json)) throw new ManifestError('the registry answered with a manifest that is not a JSON object');
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : '';
  if (json.schemaVersion === 1) {
    throw new ManifestError('the image has a Docker schema 1 manifest, which is no longer supported (push it again)');
  }
  const isIndex = INDEX_TYPES.includes(type) || INDEX_TYPES.includes(mediaType) || Array.isArray(json.manifests);
  if (isIndex) {
    if (!Array.isArray(json.manifests)) throw new ManifestError('the image index lists no manifests');
    const manifests = json.manifests.filter(isRecord).flatMap((m) => {
      const platform = isRecord(m.platform) ? m.platform : {};
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
      const digest = str(m.digest);
      if (!digest || !DIGEST.test(digest)) return [];
      return [
        { digest, os: str(platform.os), architecture: str(platform.architecture), variant: str(platform.variant) },
      ];
    });
    return { kind: 'index', manifests };
  }
  const config = isRecord(json.config) ? json.config : null;
  const configDigest = config && typeof config.digest === 'string' ? config.digest : '';
  if (!DIGEST.test(configDigest)) throw new ManifestError('the manifest names no sha256 config blob');
  const size = typeof config?.size === 'number' ? config.size : undefined;
  return { kind: 'manifest', configDigest, ...(size !== undefined ? { configSize: size } : {}) };
}

/** The digest of the linux/amd64 manifest of an index (attestations, `unknown/unknown`, are skipped). */
export function pickPlatform(manifests: { digest: string; os?: string; architecture?: string }[]): string | null {
  return manifests.find((m) => m.os === PLATFORM.os && m.architecture === PLATFORM.architecture)?.digest ?? null;
}

/** The platforms an index offers, for a message (`linux/arm64, windows/amd64`). */
export function platformsOf(manifests: { os?: string; architecture?: string; variant?: string }[]): string {
  const names = manifests
    .filter((m) => m.os && m.os !== 'unknown')
    .map((m) => `${m.os}/${m.architecture ?? '?'}${m.variant ? `/${m.variant}` : ''}`);
  return [...new Set(names)].join(', ') || 'none';
}

const strings = (v: unknown): string[] | null =>
  v === null || v === undefined ? [] : Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : null;

/** Entrypoint and Cmd of an image config blob (missing or null: empty). */
export function parseImageConfig(body: Buffer): { entrypoint: string[]; cmd: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ManifestError('the image config is not JSON');
  }
  const config = isRecord(json) && isRecord(json.config) ? json.config : {};
  const entrypoint = strings(config.Entrypoint);
  const cmd = strings(config.Cmd);
  if (!entrypoint || !cmd)
    throw new ManifestError('the image config has an Entrypoint or Cmd that is not a list of strings');
  return { entrypoint, cmd };
}
