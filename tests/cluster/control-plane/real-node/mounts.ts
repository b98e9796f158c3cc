/** Finding and removing the mounts a real node leaves (overlay rootfs, shm, netns, projected volumes...). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleepSync } from './host-state';

const unescape = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Mount points at or below any of `dirs`, deepest (and most recent) first. */
export function mountsUnder(dirs: readonly string[]): string[] {
  const roots = dirs.map((d) => d.replace(/\/+$/, ''));
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => Boolean(p))
    .map(unescape)
    .filter((p) => roots.some((r) => p === r || p.startsWith(`${r}/`)));
  return points.reverse().sort((a, b) => b.split('/').length - a.split('/').length);
}

/** Unmounts everything below `dirs` (umount, then umount -l); throws if something stays mounted. */
export function unmountUnder(dirs: readonly string[]): number {
  let count = 0;
  for (let round = 0; round < 20; round++) {
    const points = mountsUnder(dirs);
    if (points.length === 0) return count;
    for (const p of points) {
      try {
        execFileSync('umount', [p], { stdio: 'ignore' });
        count++;
      } catch {
        try {
          execFileSync('umount', ['-l', p], { stdio: 'ignore' });
          count++;
        } catch {
          /* retried next round */
        }
      }
    }
    sleepSync(20);
  }
  const left = mountsUnder(dirs);
  if (left.length > 0) throw new Error(`still mounted: ${left.join(' ')}`);
  return count;
}
