import { spawn } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import type { Readable } from 'node:stream';
import { LineSplitter } from '../shared/line-splitter';
import type { Spawner, SpawnEvent, SpawnRequest } from './spawner';

/** One process to start (the same request the spawner helper is sent). */
export type ProcessSpec = SpawnRequest;

export interface ProcessHandlers {
  /** Kill the process group after this long; undefined means never. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onLine(stream: 'stdout' | 'stderr', text: string, at: Date): void;
  /** Raw output as it arrives, before it is split into lines. */
  onData?(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  onSpawn?(at: Date, pid: number): void;
  /** A long-lived helper process (a ready TaskRun network): it does not keep the worker alive, and dies with it. */
  background?: boolean;
}

export interface ProcessEnd {
  exitCode: number;
  /** Set when the executor killed the group. */
  stoppedBy?: 'timeout' | 'cancel';
  /** The process never started (exec failed in Node's spawn). */
  spawnError?: NodeJS.ErrnoException;
}

/** After the main process exits, how long its output pipes may stay open before they are cut. */
export const DRAIN_GRACE_MS = 1_000;

/**
 * Runs one process in its own process group (so a kill reaches its children too), streams its
 * output line by line, and never rejects for the process's sake: every way a process can end
 * becomes a `ProcessEnd`. The process is started by the worker's spawner helper (`spawner`, see
 * spawner.ts), or from this process when there is none.
 */
export function runProcess(spawner: Spawner, spec: ProcessSpec, handlers: ProcessHandlers): Promise<ProcessEnd> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let stoppedBy: ProcessEnd['stoppedBy'];
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let pid: number | undefined;
    const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
    let group: { killGroup(): void } | undefined;

    const stop = (why: 'timeout' | 'cancel') => {
      stoppedBy ??= why;
      group?.killGroup();
    };
    const onAbort = () => stop('cancel');
    const timer =
      handlers.timeoutMs !== undefined ? setTimeout(() => stop('timeout'), Math.max(0, handlers.timeoutMs)) : undefined;
    const disarm = () => {
      if (timer) clearTimeout(timer);
      handlers.signal?.removeEventListener('abort', onAbort);
    };
    handlers.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (end: ProcessEnd) => {
      if (settled) return;
      settled = true;
      disarm();
      const at = new Date();
      for (const stream of ['stdout', 'stderr'] as const)
        for (const text of splitters[stream].end()) handlers.onLine(stream, text, at);
      resolve(end);
    };

    const report = (event: SpawnEvent) => {
      switch (event.t) {
        case 'spawned':
          pid = event.pid;
          handlers.onSpawn?.(new Date(event.at), event.pid);
          return;
        case 'out': {
          const at = new Date(event.at);
          const chunk = Buffer.from(event.d.buffer, event.d.byteOffset, event.d.byteLength);
          handlers.onData?.(event.s, chunk);
          for (const text of splitters[event.s].push(chunk)) handlers.onLine(event.s, text, at);
          return;
        }
        case 'error': {
          const { t: _t, ...error } = event;
          finish({
            exitCode: event.code === 'EACCES' ? 126 : 127,
            spawnError: Object.assign(new Error(event.message), error),
          });
          return;
        }
        case 'thrown':
          fail(new Error(event.message));
          return;
        case 'exit':
          exit = { code: event.code, signal: event.signal };
          // A timeout or cancel that comes after the exit must not relabel a finished process.
          disarm();
          return;
        case 'close':
          if (exit) finish({ exitCode: exitCodeOf(exit.code, exit.signal), stoppedBy });
          return;
        case 'lost':
          if (!event.started) {
            // The helper never ran, so it started nothing: start the process here instead.
            startHere();
            if (stoppedBy) group?.killGroup();
            return;
          }
          // A sandbox dies with the helper; a plain process would not.
          if (pid !== undefined) killGroupOf(pid);
          finish(
            pid === undefined
              ? { exitCode: 127, spawnError: Object.assign(new Error(event.message), { code: 'ESPAWNER' }) }
              : { exitCode: 128 + constants.signals.SIGKILL, stoppedBy },
          );
          return;
      }
    };

    /** Node's spawn throws for arguments it refuses (a NUL byte in the env, say): that is the caller's error. */
    const fail = (error: unknown) => {
      settled = true;
      disarm();
      reject(error);
    };
    const startHere = () => {
      try {
        group = spawnHere(spec, report, handlers.background === true);
      } catch (error) {
        fail(error);
      }
    };

    const helped = spawner.start(spec, report, handlers.background === true);
    if (helped) group = { killGroup: helped.kill };
    else startHere();
    if (handlers.signal?.aborted) onAbort();
  });
}

/** The same as the helper does, in this process: used when the helper cannot be started. */
function spawnHere(spec: ProcessSpec, report: (event: SpawnEvent) => void, background: boolean): { killGroup(): void } {
  // Descriptors handed on become the child's 3, 4, …
  const passed = (spec.fdArgs ?? []).map((i) => Number(spec.args[i]));
  const args = spec.args.map((a, i) => (spec.fdArgs?.includes(i) ? String(3 + spec.fdArgs.indexOf(i)) : a));
  // The cast only bridges Next's ProcessEnv typing (it declares NODE_ENV); a step gets exactly this env.
  const argv = [...(spec.network?.prefix ?? []), spec.file, ...args];
  const child = spawn(argv[0], argv.slice(1), {
    cwd: spec.cwd,
    env: spec.env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...passed],
  });
  // Pipes, as asked: never null.
  const streams = { stdout: child.stdout as Readable, stderr: child.stderr as Readable };
  const killGroup = () => {
    if (child.pid !== undefined) killGroupOf(child.pid);
  };
  child.on('error', (error: NodeJS.ErrnoException) => {
    if (child.pid === undefined)
      report({
        t: 'error',
        code: error.code,
        errno: error.errno,
        syscall: error.syscall,
        path: error.path,
        message: error.message,
      });
  });
  if (child.pid === undefined) return { killGroup };
  if (spec.nice !== undefined) {
    try {
      setPriority(child.pid, spec.nice);
    } catch {
      // Not allowed here: it runs at the worker's priority.
    }
  }
  report({ t: 'spawned', pid: child.pid, at: Date.now() });
  if (background) {
    // The pipes are sockets, which can be unref'd, though Readable does not say so.
    for (const handle of [child, streams.stdout, streams.stderr] as { unref?(): void }[]) handle.unref?.();
    const onExit = () => killGroup();
    process.once('exit', onExit);
    child.on('exit', () => process.removeListener('exit', onExit));
  }
  for (const stream of ['stdout', 'stderr'] as const)
    streams[stream].on('data', (d: Buffer) => report({ t: 'out', s: stream, d, at: Date.now() }));
  child.on('exit', (code, signal) => {
    // Like a container ending with its main process: whatever it left running goes too.
    killGroup();
    report({ t: 'exit', code, signal });
    setTimeout(() => {
      streams.stdout.destroy();
      streams.stderr.destroy();
    }, DRAIN_GRACE_MS).unref();
  });
  child.on('close', () => report({ t: 'close' }));
  return { killGroup };
}

function killGroupOf(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}
