import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { LineSplitter } from './line-splitter';

export interface ProcessSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface ProcessHandlers {
  /** Kill the process group after this long; undefined means never. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onLine(stream: 'stdout' | 'stderr', text: string, at: Date): void;
  onSpawn?(at: Date): void;
}

export interface ProcessEnd {
  exitCode: number;
  /** Set when the executor killed the group. */
  stoppedBy?: 'timeout' | 'cancel';
  /** The process never started (exec failed in Node's spawn). */
  spawnError?: NodeJS.ErrnoException;
}

/** After the main process exits, how long its output pipes may stay open before they are cut. */
const DRAIN_GRACE_MS = 1_000;

/**
 * Runs one process in its own process group (so a kill reaches its children too), streams its
 * output line by line, and never rejects: every way a process can end becomes a `ProcessEnd`.
 */
export function runProcess(spec: ProcessSpec, handlers: ProcessHandlers): Promise<ProcessEnd> {
  return new Promise((resolve) => {
    let settled = false;
    let stoppedBy: ProcessEnd['stoppedBy'];
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };

    // The cast only bridges Next's ProcessEnv typing (it declares NODE_ENV); a step gets exactly this env.
    const child = spawn(spec.file, spec.args, { cwd: spec.cwd, env: spec.env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const stop = (why: 'timeout' | 'cancel') => {
      stoppedBy ??= why;
      killGroup();
    };
    const onAbort = () => stop('cancel');
    const timer = handlers.timeoutMs !== undefined ? setTimeout(() => stop('timeout'), Math.max(0, handlers.timeoutMs)) : undefined;
    handlers.signal?.addEventListener('abort', onAbort, { once: true });
    if (child.pid !== undefined) handlers.onSpawn?.(new Date());
    if (handlers.signal?.aborted) onAbort();

    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].on('data', (chunk: Buffer) => {
        const at = new Date();
        for (const text of splitters[stream].push(chunk)) handlers.onLine(stream, text, at);
      });
    }

    const finish = (end: ProcessEnd) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      handlers.signal?.removeEventListener('abort', onAbort);
      const at = new Date();
      for (const stream of ['stdout', 'stderr'] as const) for (const text of splitters[stream].end()) handlers.onLine(stream, text, at);
      resolve(end);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) finish({ exitCode: error.code === 'EACCES' ? 126 : 127, spawnError: error });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A timeout or cancel that comes after the exit must not relabel a finished process.
      if (timer) clearTimeout(timer);
      handlers.signal?.removeEventListener('abort', onAbort);
      // Like a container ending with its main process: whatever it left running goes too.
      killGroup();
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, DRAIN_GRACE_MS).unref();
    });
    child.on('close', () => {
      if (!exit) return;
      finish({ exitCode: exitCodeOf(exit.code, exit.signal), stoppedBy });
    });
  });
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}
