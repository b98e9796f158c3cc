/**
 * Starting, recording and killing control-plane processes.
 * Every process gets `<dir>/pids/<name>.pid` (pid, binary, start time, boot id; see pid-files.ts), so a later
 * run (or down.sh) can kill exactly what was started, and never a recycled pid or a process of another boot.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exeOf, livePids, pidFileDir, running, writePidFile } from './pid-files';
import { layoutOfClusterDir } from './real-node/layout';
import { unmountUnder } from './real-node/mounts';
import { teardownRealNode } from './real-node/teardown';

export interface ManagedProcess {
  name: string;
  pid: number;
  bin: string;
  logPath: string;
  /** Set once the process has exited (code or signal). */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

export class ComponentExitedError extends Error {
  constructor(
    readonly component: string,
    readonly logTail: string,
  ) {
    super(`${component} exited early. Last log lines:\n${logTail}`);
    this.name = 'ComponentExitedError';
  }
}

const pidDir = pidFileDir;

/**
 * A shell that writes its own pid into each cgroup.procs file given before `--`, then execs the command,
 * so the process (and all it forks) is in those cgroups from its first instruction.
 */
const IN_CGROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

export function startProcess(
  dir: string,
  name: string,
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  /** cgroup.procs files to start the process in (real node: containerd and kubelet). */
  cgroupProcs: readonly string[] = [],
): ManagedProcess {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  mkdirSync(pidDir(dir), { recursive: true });
  const logPath = join(dir, 'logs', `${name}.log`);
  const fd = openSync(logPath, 'a');
  const [cmd, argv] =
    cgroupProcs.length === 0 ? [bin, args] : ['/bin/sh', ['-c', IN_CGROUPS, 'sh', ...cgroupProcs, '--', bin, ...args]];
  // detached: own process group, so Ctrl-C in a terminal does not hit it before we can clean up in order.
  const child = spawn(cmd, argv, { cwd: dir, env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${bin})`);
  const proc: ManagedProcess = { name, pid: child.pid, bin, logPath, exit: undefined };
  writePidFile(join(pidDir(dir), `${name}.pid`), child.pid, bin);
  child.on('exit', (code, signal) => {
    proc.exit = { code, signal };
  });
  child.on('error', () => {
    proc.exit = proc.exit ?? { code: null, signal: null };
  });
  child.unref();
  return proc;
}

export function tailLog(path: string, lines = 50): string {
  if (!existsSync(path)) return '(no log)';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Throws ComponentExitedError for the first process that has exited. */
export function assertAllRunning(procs: readonly ManagedProcess[]): void {
  const dead = procs.find((p) => p.exit !== undefined);
  if (dead) throw new ComponentExitedError(dead.name, tailLog(dead.logPath));
}

/** True if `pid` is alive and runs `bin` (guards against recycled pids). */
export function isOurProcess(pid: number, bin: string): boolean {
  return exeOf(pid) === bin;
}

/** A zombie is dead: its parent (e.g. a test worker blocked in spawnSync) may never reap it while we wait. */
const alive = running;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after `graceMs`; resolves when every pid is gone. */
export async function killPids(pids: readonly number[], graceMs = 5000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  while (pids.some(alive)) await sleep(20);
}

/** Synchronous SIGKILL, for signal handlers and process 'exit' hooks. */
export function killPidsNow(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Pids recorded in `<dir>/pids/` that are still the very processes started (pid-files.ts). */
export function recordedPids(dir: string): number[] {
  return livePids(dir);
}

/**
 * Kills what an earlier run in `dir` recorded, tears down its real node (cgroups, mounts, bridge...) and
 * removes the directory. Returns the pids killed.
 */
export async function cleanupDir(dir: string): Promise<number[]> {
  // A real-node record that does not check out throws here, before anything is stopped or removed.
  layoutOfClusterDir(dir);
  const pids = recordedPids(dir);
  await killPids(pids);
  teardownRealNode(dir);
  // A node whose record was lost (its dir half-deleted under a still-running kubelet) leaves volume mounts
  // that teardownRealNode cannot find; nothing below the dir may stay mounted, or rmSync fails with EBUSY.
  unmountUnder([dir]);
  rmSync(dir, { recursive: true, force: true });
  return pids;
}
