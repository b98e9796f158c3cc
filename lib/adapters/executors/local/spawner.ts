import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A small Node process, started once per worker process, that starts the steps' processes for it.
 *
 * `child_process.spawn` blocks the event loop until the child has exec'd, and a fork of the worker's
 * large address space (and the child's exec tearing that copy down) costs 2–3 ms each; a fan-out's
 * eight sandboxes took 20–25 ms of the event loop in a row. Forked from this helper's small address
 * space a start costs about half, and the worker's event loop stays free meanwhile (database replies,
 * the next TaskRuns' preparation). The helper relays each process's output with its arrival time,
 * kills a process group when asked, and when the worker goes away (its channel closes) kills every
 * group it started and exits.
 */
const HELPER_SOURCE = String.raw`'use strict';
const { spawn } = require('node:child_process');
const drainGraceMs = Number(process.argv[1]);
const children = new Map();
const send = (m) => { if (process.connected) process.send(m); };
const killGroup = (pid) => { try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ } };
process.title = 'keelson-step-spawner';
process.on('message', (m) => {
  if (m.t === 'kill') {
    const c = children.get(m.id);
    if (c) killGroup(c.pid);
    return;
  }
  let child;
  try {
    child = spawn(m.file, m.args, { cwd: m.cwd, env: m.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    send({ t: 'thrown', id: m.id, message: String(e && e.message) });
    return;
  }
  if (child.pid === undefined) {
    child.on('error', (e) => send({ t: 'error', id: m.id, code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, message: e.message }));
    return;
  }
  send({ t: 'spawned', id: m.id, pid: child.pid, at: Date.now() });
  children.set(m.id, child);
  child.on('error', () => undefined);
  child.stdout.on('data', (d) => send({ t: 'out', id: m.id, s: 'stdout', d, at: Date.now() }));
  child.stderr.on('data', (d) => send({ t: 'out', id: m.id, s: 'stderr', d, at: Date.now() }));
  child.on('exit', (code, signal) => {
    // Like a container ending with its main process: whatever it left running goes too.
    killGroup(child.pid);
    send({ t: 'exit', id: m.id, code, signal });
    setTimeout(() => { child.stdout.destroy(); child.stderr.destroy(); }, drainGraceMs).unref();
  });
  child.on('close', () => {
    children.delete(m.id);
    send({ t: 'close', id: m.id });
  });
});
send({ t: 'ready', id: 0 });
process.on('disconnect', () => {
  for (const c of children.values()) killGroup(c.pid);
  process.exit(0);
});
`;

export interface SpawnRequest {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

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

type Listener = (event: SpawnEvent) => void;

export interface SpawnerHandle {
  kill(): void;
}

/** One helper process and the processes it was asked to start. */
interface Helper {
  child: ChildProcess;
  listeners: Map<number, Listener>;
  /** It has said hello: it runs, so whatever it was sent may have been started. */
  ready: boolean;
}

class Spawner {
  private helper: Helper | undefined;
  /** A helper died before it ran: this machine cannot start one, so processes start in the worker. */
  private broken = false;
  private nextId = 1;

  constructor(private readonly drainGraceMs: number) {}

  /** Starts the helper now, so the first step does not wait for it. */
  warm(): void {
    this.ensure();
  }

  /** Asks the helper to start a process; undefined when there is no helper (the caller spawns itself). */
  start(request: SpawnRequest, listener: Listener): SpawnerHandle | undefined {
    const helper = this.ensure();
    if (!helper) return undefined;
    const id = this.nextId++;
    helper.listeners.set(id, (event) => {
      if (event.t === 'close' || event.t === 'lost' || event.t === 'error' || event.t === 'thrown') {
        helper.listeners.delete(id);
        refWhileBusy(helper);
      }
      listener(event);
    });
    refWhileBusy(helper);
    helper.child.send({ t: 'spawn', id, ...request });
    return { kill: () => helper.child.connected && helper.child.send({ t: 'kill', id }) };
  }

  private ensure(): Helper | undefined {
    if (this.helper?.child.connected) return this.helper;
    if (this.broken) return undefined;
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['-e', HELPER_SOURCE, String(this.drainGraceMs)], {
        // Nothing of the worker's environment: each request brings the step's own.
        env: {} as NodeJS.ProcessEnv,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
    } catch {
      this.broken = true;
      return undefined;
    }
    child.on('error', () => undefined);
    if (child.pid === undefined) {
      this.broken = true;
      return undefined;
    }
    const helper: Helper = { child, listeners: new Map(), ready: false };
    this.helper = helper;
    child.on('message', ({ id, ...event }: { id: number } & (SpawnEvent | { t: 'ready' })) => {
      if (event.t === 'ready') helper.ready = true;
      else helper.listeners.get(id)?.(event);
    });
    child.on('exit', (code, signal) => {
      if (this.helper === helper) this.helper = undefined;
      if (!helper.ready) this.broken = true;
      const message = `the helper that starts step processes exited (${signal ?? `code ${code}`})`;
      for (const listener of [...helper.listeners.values()]) listener({ t: 'lost', message, started: helper.ready });
    });
    refWhileBusy(helper);
    return helper;
  }
}

/** Keeps the worker process alive while the helper's processes run, and only then. */
function refWhileBusy(helper: Helper): void {
  const channel = helper.child.channel as { ref?(): void; unref?(): void } | null | undefined;
  if (helper.listeners.size > 0) {
    helper.child.ref();
    channel?.ref?.();
  } else {
    helper.child.unref();
    channel?.unref?.();
  }
}

let shared: Spawner | undefined;

/** The worker process's one helper; started on first use. */
export function sharedSpawner(drainGraceMs: number): Spawner {
  shared ??= new Spawner(drainGraceMs);
  return shared;
}
