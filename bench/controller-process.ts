/**
 * A gitops controller as a process of its own for the benchmarks (tests/integration/support/gitops-controller-process.ts
 * on the bench's database): its refreshes as it reports them, and its peak RSS, the figure the controller's memory
 * target is about (the benchmark process itself also holds the cluster client, the database pool and its fleets).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eachLine } from '../tests/integration/support/each-line';
import { BENCH_SECRET, type GitopsBench } from './gitops-fleet';

export interface ControllerProcess {
  child: ChildProcess;
  /** The apps it reported refreshing (`refreshed <app>` lines; sharded processes only). */
  compared: Set<string>;
  peakRss: number;
  /** Resolves when it printed `member <id>`: its controller is built and working. */
  ready: Promise<void>;
}

/** Killed when the benchmark exits, however it ends. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Starts a controller process. With `leaseSeconds` it shares the apps with the other members (sharding); without it
 * it works on every app alone, as a single worker process does. KEELSON_BENCH_PROFILE_DIR: each writes a CPU
 * profile there when it stops.
 */
export function spawnController(bench: GitopsBench, opts: { leaseSeconds?: number } = {}): ControllerProcess {
  const profile = process.env.KEELSON_BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.KEELSON_BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', 'tests/integration/support/gitops-controller-process.ts'],
    {
      env: {
        ...process.env,
        CONTROLLER_DATABASE_URL: bench.db.url,
        CONTROLLER_BOX_KEY: BENCH_SECRET,
        ...(opts.leaseSeconds ? { CONTROLLER_LEASE_SECONDS: String(opts.leaseSeconds) } : {}),
        CONTROLLER_DATA_DIR: mkdtempSync(join(tmpdir(), 'keelson-bench-controller-')),
        CONTROLLER_RESYNC_SECONDS: '3600',
        CONTROLLER_CONCURRENCY: process.env.KEELSON_BENCH_CONCURRENCY ?? '8',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  let isReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  const p: ControllerProcess = { child, compared: new Set(), peakRss: 0, ready };
  eachLine(child.stdout!, (line) => {
    if (line.startsWith('refreshed ')) p.compared.add(line.slice('refreshed '.length));
    else if (line.startsWith('member ')) isReady();
  });
  return p;
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/** Samples the process's RSS every 500 ms into `peakRss`; returns the stop function. */
export function watchPeakRss(p: ControllerProcess): () => void {
  const timer = setInterval(
    () =>
      void rssOf(p.child.pid!).then((b) => {
        p.peakRss = Math.max(p.peakRss, b);
      }),
    500,
  );
  return () => clearInterval(timer);
}

/** SIGTERM (a graceful stop), resolved when it exited. */
export function stopController(p: ControllerProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (p.child.exitCode !== null) return resolve();
    p.child.once('exit', () => resolve());
    p.child.kill('SIGTERM');
  });
}
