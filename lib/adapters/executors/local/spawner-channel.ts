import type { ChildProcess } from 'node:child_process';

/**
 * A network namespace to start a process in: the command prefix (nsenter) that enters it, and its
 * path when a spawner running as root may enter it itself (setns) instead.
 */
export interface NetworkEntry {
  netns?: string;
  prefix: string[];
}

/** One process to start: what the executor asks for, and what a spawner helper is sent. */
export interface SpawnRequest {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Niceness, when not the steps' (KEELSON_STEP_NICE): TaskRun networks are made ahead of time at the lowest priority. */
  nice?: number;
  /**
   * Positions in `args` that hold one of the worker's open descriptors (bubblewrap's --bind-fd): the
   * process gets that descriptor, and the argument becomes its number there.
   */
  fdArgs?: number[];
  /** Start it in this network namespace (a TaskRun's): entered by the spawner helper, or through `prefix` (nsenter). */
  network?: NetworkEntry;
}

/** What the worker asks a spawner helper to do. */
export type HelperRequest = ({ t: 'spawn'; id: number } & SpawnRequest) | { t: 'kill'; id: number };

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

/** Steps' niceness when none is configured: below the engine, the web server and the database. */
export const DEFAULT_STEP_NICE = 10;

/** How a helper is started: how long output may drain after an exit, and the steps' niceness. */
export interface HelperSettings {
  drainGraceMs: number;
  /** Niceness for step processes (KEELSON_STEP_NICE): steps yield the CPU to the engine, the web server and the database. */
  stepNice: number;
  /** Where python3 is looked for besides /usr/bin and /usr/local/bin (the worker's PATH). */
  searchPath: string;
}

/** Starts one kind of helper; undefined when this machine cannot run that kind. */
export type HelperStarter = (
  settings: HelperSettings,
  onMessage: (message: HelperMessage) => void,
) => HelperChannel | undefined;
