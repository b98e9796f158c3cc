import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Empty TaskRun folder trees made ahead of time, so that a TaskRun's folders appear with one rename
 * instead of seven mkdirs on the hot path.
 *
 * Making a directory means allocating an inode, which on a large, well-filled ext4 volume costs
 * 0.15–0.5 ms of kernel time each (it scans block groups for room), and more while sandboxes are
 * being set up; a fan-out's eight TaskRuns spent 3–4 ms each making folders before their first step
 * could start. A rename only adds a name to a directory. Trees are made on the thread pool as soon
 * as one is taken, so the event loop never waits for them.
 *
 * Each process keeps its trees under `<parent>/.pool/<pid>`; TaskRun names never start with a dot.
 * Pools left by processes that are gone are removed when a process first uses the parent folder.
 * One per worker process, built by its composition root (see local-host.ts).
 */
export class FolderPool {
  private readonly ready = new Map<string, string[]>();
  private readonly refilling = new Set<string>();
  private serial = 0;

  /** `size`: trees kept ready per parent folder, enough for a few runs' bursts (an empty tree is 7 inodes). */
  constructor(private readonly size = 64) {}

  /** Creates `root` with the given subfolders (absolute paths under root), from a ready tree when there is one. */
  take(root: string, subfolders: readonly string[]): void {
    const parent = path.dirname(root);
    const tree = this.ready.get(parent)?.pop();
    let placed = false;
    if (tree) {
      try {
        // Onto a missing or empty folder only: a TaskRun folder that has content (a TaskRun run
        // again after its worker died) stays as it is and gets whatever subfolders it lacks.
        renameSync(tree, root);
        placed = true;
      } catch {
        this.ready.get(parent)?.push(tree);
      }
    }
    if (!placed) for (const dir of [root, ...subfolders]) mkdirSync(dir, { recursive: true });
    this.scheduleRefill(
      parent,
      subfolders.map((s) => path.relative(root, s)),
    );
  }

  private poolDir(parent: string): string {
    return path.join(parent, '.pool', String(process.pid));
  }

  private scheduleRefill(parent: string, names: readonly string[]): void {
    if (this.refilling.has(parent)) return;
    this.refilling.add(parent);
    if (!this.ready.has(parent)) {
      this.ready.set(parent, []);
      removeAbandonedPools(path.join(parent, '.pool'));
    }
    // On the next turn: the TaskRun that just took a tree goes on first, its own syscalls not queued behind the refill's.
    setImmediate(() => {
      this.refill(parent, names)
        .catch(() => undefined)
        .finally(() => this.refilling.delete(parent));
    });
  }

  private async refill(parent: string, names: readonly string[]): Promise<void> {
    const list = this.ready.get(parent) ?? [];
    const dir = this.poolDir(parent);
    while (list.length < this.size) {
      const tree = path.join(dir, `t${this.serial++}`);
      await mkdir(tree, { recursive: true });
      await Promise.all(names.map((n) => mkdir(path.join(tree, n), { recursive: true })));
      list.push(tree);
    }
  }
}

/** Removes `.pool/<pid>` folders whose process no longer runs (a worker that was killed leaves its trees). */
function removeAbandonedPools(poolsDir: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(poolsDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) continue;
    void rm(path.join(poolsDir, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
