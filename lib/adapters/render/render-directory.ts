/**
 * Plain manifests, as Argo CD's directory source: *.yaml, *.yml and *.json files in the
 * folder (and below with `recurse`), filtered by include/exclude globs matched against the
 * path relative to the folder. Globs follow Argo CD (gobwas/glob without separators): `*`
 * also matches `/`, `{a,b}` lists alternatives, dotfiles are not special.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { isSkippedFile, parseManifests } from './parse-manifests';
import {
  DEFAULT_MAX_BYTES,
  TOO_LARGE_MESSAGE,
  type DirectoryOptions,
  type KubeObjectLike,
  type RenderResult,
} from './types';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

function matcher(glob: string | undefined): ((rel: string) => boolean) | null {
  if (!glob) return null;
  return picomatch(glob, { bash: true, dot: true });
}

async function listFiles(dir: string, recurse: boolean, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (recurse) files.push(...(await listFiles(dir, recurse, child)));
    } else if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_FILE.test(entry.name)) {
      files.push(child);
    }
  }
  return files;
}

export async function renderDirectory(
  dir: string,
  options: DirectoryOptions = {},
  limits: { root?: string; maxBytes?: number } = {},
): Promise<RenderResult> {
  const fail = (message: string): RenderResult => ({ ok: false, error: { tool: 'directory', message } });
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const root = await realpath(limits.root ?? dir).catch(() => null);
  const info = await stat(dir).catch(() => null);
  if (!root || !info?.isDirectory()) return fail(`path ${path.basename(dir)} does not exist`);
  const include = matcher(options.include);
  const exclude = matcher(options.exclude);
  const objects: KubeObjectLike[] = [];
  let bytes = 0;
  for (const rel of await listFiles(dir, options.recurse === true)) {
    if (exclude?.(rel)) continue;
    if (include && !include(rel)) continue;
    const file = path.join(dir, rel);
    const real = await realpath(file).catch(() => null);
    if (!real || (real !== root && !real.startsWith(root + path.sep)))
      return fail(`${rel}: the file is a link that points outside the repository`);
    const fileInfo = await stat(real);
    if (!fileInfo.isFile()) continue;
    bytes += fileInfo.size;
    if (bytes > maxBytes) return fail(TOO_LARGE_MESSAGE);
    const text = await readFile(real, 'utf8');
    if (isSkippedFile(text)) continue;
    const parsed = parseManifests(text, rel);
    if (!parsed.ok) return fail(parsed.message);
    objects.push(...parsed.objects);
  }
  return { ok: true, tool: 'directory', objects };
}
