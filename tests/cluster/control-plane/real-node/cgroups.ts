/**
 * A cgroup root per real node (`/keelson-<n>`) in every mounted hierarchy (cgroup v1 controllers, named
 * hierarchies such as name=systemd, and cgroup2). kubelet puts its pods under it (cgroupRoot), containerd
 * and kubelet run in child groups, so at teardown every shim and container process is found and killed
 * by cgroup, and the folders removed. Synchronous, for exit hooks.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleepSync } from './host-state';

/** Mount points of every cgroup hierarchy (v1 and v2). */
export function cgroupHierarchies(): string[] {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const points = new Set<string>();
  for (const line of mounts) {
    const [pre, post] = line.split(' - ');
    const fstype = post?.split(' ')[0];
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    const mountPoint = pre?.split(' ')[4];
    if (mountPoint) points.add(mountPoint.replace(/\\040/g, ' '));
  }
  return [...points];
}

/** Creates `<hierarchy><root>/<child>` everywhere; cpuset folders get their parent's cpus and mems. */
export function createCgroup(path: string): void {
  for (const h of cgroupHierarchies()) {
    let current = h;
    for (const part of path.split('/').filter(Boolean)) {
      const next = join(current, part);
      if (!existsSync(next)) {
        mkdirSync(next);
        for (const f of ['cpuset.cpus', 'cpuset.mems']) {
          // (copyFileSync does not work on cgroupfs)
          if (existsSync(join(current, f)) && readFileSync(join(next, f), 'utf8').trim() === '') {
            writeFileSync(join(next, f), readFileSync(join(current, f), 'utf8').trim());
          }
        }
      }
      current = next;
    }
  }
}

/** The cgroup.procs files of `path` in every hierarchy (write a pid to each to move a process in). */
export const cgroupProcsFiles = (path: string): string[] =>
  cgroupHierarchies()
    .map((h) => join(h, path, 'cgroup.procs'))
    .filter((f) => existsSync(f));

/** Every folder of `path` and below in every hierarchy, deepest first. */
function foldersDeepestFirst(path: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
    out.push(dir);
  };
  for (const h of cgroupHierarchies()) {
    const top = join(h, path);
    if (existsSync(top)) walk(top);
  }
  return out.sort((a, b) => b.split('/').length - a.split('/').length);
}

/** Pids of every process in `path` or below, in any hierarchy. */
export function cgroupPids(path: string): number[] {
  const pids = new Set<number>();
  for (const dir of foldersDeepestFirst(path)) {
    try {
      for (const p of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (p) pids.add(Number(p));
    } catch {
      /* removed meanwhile */
    }
  }
  return [...pids];
}

/** SIGKILLs every process under `path` until none is left (freezing first, so nothing forks meanwhile). */
export function killCgroup(path: string, timeoutMs = 10_000): number[] {
  const killed = new Set<number>();
  const freezer = cgroupHierarchies().find((h) => existsSync(join(h, path, 'freezer.state')));
  const setFreezer = (state: 'FROZEN' | 'THAWED'): void => {
    if (!freezer) return;
    try {
      writeFileSync(join(freezer, path, 'freezer.state'), state);
    } catch {
      /* gone */
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = cgroupPids(path).filter((p) => p !== process.pid);
    if (pids.length === 0) break;
    setFreezer('FROZEN');
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        /* gone */
      }
    }
    // A frozen process only dies once thawed.
    setFreezer('THAWED');
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(' ')} in cgroup ${path} survive SIGKILL`);
    sleepSync(30);
  }
  return [...killed];
}

/** Removes `path` and its children in every hierarchy (retrying while the kernel still reaps tasks). */
export function removeCgroup(path: string, timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left: string[] = [];
    for (const dir of foldersDeepestFirst(path)) {
      try {
        rmdirSync(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') left.push(dir);
      }
    }
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`cgroup folders still busy: ${left.join(' ')}`);
    sleepSync(50);
  }
}

/** True if `path` exists in any hierarchy. */
export const cgroupExists = (path: string): boolean => cgroupHierarchies().some((h) => existsSync(join(h, path)));
