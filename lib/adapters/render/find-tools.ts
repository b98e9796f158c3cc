/**
 * Where helm and kustomize live: an explicit path (KEELSON_HELM_BIN / KEELSON_KUSTOMIZE_BIN), else
 * the PATH, else the newest build under ~/.cache/keelson/<tool>/<version>/bin that
 * `npm run cluster:build` leaves (so a development checkout works without installing them).
 */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { RenderSandboxConfig } from './sandbox';
import type { RenderTools } from './types';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
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

function inBuildCache(name: string): string | undefined {
  const root = path.join(process.env.KEELSON_CACHE_DIR ?? path.join(homedir(), '.cache', 'keelson'), name);
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort().reverse();
  for (const v of versions) {
    const candidate = path.join(root, v, 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function findTool(name: 'helm' | 'kustomize', explicit?: string): string {
  return explicit ?? onPath(name) ?? inBuildCache(name) ?? name;
}

export function findRenderTools(
  explicit: { helmBin?: string; kustomizeBin?: string; sandbox?: RenderSandboxConfig } = {},
): RenderTools {
  return {
    helmBin: findTool('helm', explicit.helmBin),
    kustomizeBin: findTool('kustomize', explicit.kustomizeBin),
    sandbox: explicit.sandbox,
  };
}
