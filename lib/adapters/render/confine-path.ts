/** Whether a path stays inside the checkout, symlinks followed (a link may not lead out of it). */
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export const within = (root: string, p: string): boolean =>
  p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * `relative` resolved against `from`, when it and every symlink on its way stay inside `root`
 * (the real path of the longest existing prefix must be inside; the rest does not exist yet).
 */
export async function insideCheckout(root: string, from: string, relative: string): Promise<string | undefined> {
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  const full = path.resolve(from, relative);
  if (!within(path.resolve(root), full) && !within(realRoot, full)) return undefined;
  for (let p = full; ; p = path.dirname(p)) {
    const real = await realpath(p).catch(() => undefined);
    if (real !== undefined) return within(realRoot, real) ? full : undefined;
    if (path.dirname(p) === p) return undefined;
  }
}
