import type { ChildProcess } from 'node:child_process';

/**
 * A network namespace to start a process in: the command prefix (nsenter) that enters it, and its
 * path when a spawner running as root may enter it itself (setns) instead.
 */
export interface NetworkEntry {
  netns?: string;
  prefix: string[];
}

/** What the worker asks a spawner helper to do. */
export type HelperRequest =
  | {
      t: 'spawn';
      id: number;
      file: string;
      args: string[];
      env: Record<string, string>;
      cwd: string;
      nice?: number;
      fdArgs?: number[];
      network?: NetworkEntry;
    }
  | { t: 'kill'; id: number };

/** What the helper reports about one process, in order: spawned or failed, output, exit, close. */
export type SpawnEvent =
  | { t: 'spawned'; pid: number; at: number }
  | { t: 'error'; code?: string; errno?: number; syscall?: string; path?: string; message: string }
  | { t: 'thrown'; message: string }
  | { t: 'out'; s: 'stdout' | 'stderr'; d: Uint8Array; at: number }
  | { t: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { t: 'close' }
  /**
   * The helper went away before the process was closed. When it had never run, it cannot have
   * started the process, which may then be started elsewhere.
   */
  | { t: 'lost'; message: string; started: boolean };

/** A helper's message: an event about process `id`, or its hello (id 0) once it runs. */
export type HelperMessage = { id: number } & (SpawnEvent | { t: 'ready' });

/** One running helper process, whatever language it is written in. */
export interface HelperChannel {
  readonly child: ChildProcess;
  connected(): boolean;
  send(request: HelperRequest): void;
  /** Keep the worker process alive for the helper (while it runs steps), or not (while idle). */
  setRef(ref: boolean): void;
}

/** Starts one kind of helper; undefined when this machine cannot run that kind. */
export type HelperStarter = (
  drainGraceMs: number,
  onMessage: (message: HelperMessage) => void,
) => HelperChannel | undefined;

/** Niceness for step processes (KEELSON_STEP_NICE, default 10): steps yield the CPU to the engine, the web server and the database. */
export function stepNice(): number {
  const n = Math.trunc(Number(process.env.KEELSON_STEP_NICE ?? 10));
  return Number.isFinite(n) ? Math.max(-20, Math.min(19, n)) : 10;
}
