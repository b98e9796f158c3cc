/**
 * Where helm and kustomize live: an explicit path (KEELSON_HELM_BIN / KEELSON_KUSTOMIZE_BIN), else
 * the PATH, else the newest build under <KEELSON_CACHE_DIR or ~/.cache/keelson>/<tool>/<version>/bin
 * that `npm run cluster:build` leaves (so a development checkout works without installing them).
 */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { hostEnvironment } from '@/lib/env';
import type { RenderSandboxConfig } from './sandbox';
import type { RenderTools } from './types';

function onPath(name: string): string | undefined {
  for (const dir of (hostEnvironment(['PATH']).PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function inBuildCache(name: string, cacheDir: string | undefined): string | undefined {
  const root = path.join(cacheDir ?? path.join(homedir(), '.cache', 'keelson'), name);
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort().reverse();
  for (const v of versions) {
    const candidate = path.join(root, v, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `cacheDir`: where `npm run cluster:build` leaves its builds (KEELSON_CACHE_DIR; default ~/.cache/keelson). */
export function findTool(name: 'helm' | 'kustomize', explicit?: string, cacheDir?: string): string {
  return explicit ?? onPath(name) ?? inBuildCache(name, cacheDir) ?? name;
}

export function findRenderTools(
  explicit: { helmBin?: string; kustomizeBin?: string; sandbox?: RenderSandboxConfig; buildCacheDir?: string } = {},
): RenderTools {
  return {
    helmBin: findTool('helm', explicit.helmBin, explicit.buildCacheDir),
    kustomizeBin: findTool('kustomize', explicit.kustomizeBin, explicit.buildCacheDir),
    sandbox: explicit.sandbox,
  };
}
