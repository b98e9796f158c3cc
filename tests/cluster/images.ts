/**
 * The test cluster's container images (tests/cluster/images/build.sh): busybox, a Debian tools image
 * published as bash/ubuntu/alpine/alpine/git/python, pause, and Tekton's entrypoint (tektonEntrypointImages), stored in a docker-registry storage
 * directory at ${KEELSON_CACHE_DIR:-~/.cache/keelson}/images/<key>/registry with images.json next to it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clusterSrcDir } from './binaries';

/**
 * Tekton's entrypoint (tests/cluster/tekton, v1.15.0) as ko lays it out (/ko-app/entrypoint, user 65532), under
 * upstream's release name for v1.15.0 (ko: <name>-<md5 of the import path>) and under the plain name.
 */
export const tektonEntrypointImages = [
  'ghcr.io/tektoncd/pipeline/entrypoint-bff0a22da108bc2f16c818c97641a296:v1.15.0',
  'ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0',
] as const;

export const imagesBuildScript: string = join(clusterSrcDir, 'images', 'build.sh');

/** The config fields of a published image, as its image config has them (null when unset). */
export interface PublishedImageConfig {
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  Env: string[] | null;
  WorkingDir: string | null;
  User: string | null;
}

export interface PublishedImage {
  /** The name a pod uses, e.g. docker.io/library/busybox:latest, mirror.gcr.io/alpine:3, registry.k8s.io/pause:3.10. */
  reference: string;
  /** The repository in the local registry (containerd keeps the path and swaps the host). */
  repository: string;
  tag: string;
  /** Manifest digest the registry serves. */
  digest: string;
  config: PublishedImageConfig;
  /** Bytes of the config and the (compressed) layers. */
  size: number;
}

function runBuildScript(args: string[]): string {
  const res = spawnSync('bash', [imagesBuildScript, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    throw new Error(
      `${imagesBuildScript} ${args.join(' ')} exited with ${res.status ?? res.signal} (its stderr is above)`,
    );
  }
  const last = res.stdout.trim().split('\n').pop();
  if (!last) throw new Error(`${imagesBuildScript} printed no store directory`);
  return last;
}

/** The registry storage dir for the current inputs (it may not exist yet; see ensureImageStore). */
export function imageStoreDir(): string {
  return runBuildScript(['--print-dir']);
}

/** Builds the images if the store for the current inputs is missing (~15 s), and returns the store dir. */
export function ensureImageStore(): string {
  return runBuildScript([]);
}

/** A docker-registry config serving `storeDir` read-only on 127.0.0.1:port, without auth. */
export function registryConfigYaml(storeDir: string, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storeDir)}`,
    '  delete:',
    '    enabled: false',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    '    readonly:',
    '      enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: keelson-read-only-registry',
    '',
  ].join('\n');
}

/** images.json of a store (default: the current one): every published reference with digest, config, size. */
export function publishedImages(storeDir: string = imageStoreDir()): PublishedImage[] {
  const parsed = JSON.parse(readFileSync(join(dirname(storeDir), 'images.json'), 'utf8')) as {
    images: PublishedImage[];
  };
  return parsed.images;
}
