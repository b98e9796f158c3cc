import {
  DEFAULT_STEP_NICE,
  type HelperChannel,
  type HelperMessage,
  type HelperSettings,
  type HelperStarter,
  type SpawnEvent,
  type SpawnRequest,
} from './spawner-channel';
import { startNodeHelper } from './spawner-node';
import { startPythonHelper } from './spawner-python';

export type { SpawnEvent, SpawnRequest } from './spawner-channel';

/**
 * Steps' processes are started by a small helper process, one per worker process, not by the worker.
 *
 * `child_process.spawn` blocks the event loop until the child has exec'd, and a fork of the worker's
 * large address space costs 2–3 ms each: a fan-out's eight sandboxes took 20–25 ms of the event loop
 * in a row. The helper starts them while the worker's event loop stays free (database replies, the
 * next TaskRuns' preparation), relays each process's output with its arrival time, kills a process
 * group when asked, and when the worker goes away kills every group it started and exits.
 *
 * Helpers are tried in order: Python (vfork: ~0.3 ms a process), then Node (fork + exec of a small
 * process: ~1.3 ms). When none can run, the caller starts the process itself.
 *
 * One per worker process, built by its composition root (see local-host.ts) and passed down.
 */
export type HelperKind = 'python' | 'node';

const STARTERS: Record<HelperKind, HelperStarter> = { python: startPythonHelper, node: startNodeHelper };

type Listener = (event: SpawnEvent) => void;

export interface SpawnerHandle {
  kill(): void;
}

/** One helper process and the processes it was asked to start. */
interface Helper {
  channel: HelperChannel;
  kind: HelperKind;
  listeners: Map<number, Listener>;
  /** Processes that do not keep the worker alive. */
  background: Set<number>;
  /** It has said hello: it runs, so whatever it was sent may have been started. */
  ready: boolean;
}

export class Spawner {
  private helper: Helper | undefined;
  /** Kinds not yet found unable to run here, best first; empty means processes start in the worker. */
  private readonly kinds: HelperKind[];
  private nextId = 1;
  private readonly settings: HelperSettings;

  /**
   * `drainGraceMs`: after a process exits, how long its output pipes may stay open; `kinds`: helpers to
   * try, best first; `stepNice`: the steps' niceness (KEELSON_STEP_NICE); `searchPath`: the worker's PATH.
   */
  constructor(
    drainGraceMs: number,
    kinds: readonly HelperKind[] = ['python', 'node'],
    { stepNice = DEFAULT_STEP_NICE, searchPath = '' }: { stepNice?: number; searchPath?: string } = {},
  ) {
    this.kinds = [...kinds];
    this.settings = { drainGraceMs, stepNice, searchPath };
  }

  /** The niceness step processes run at. */
  get stepNice(): number {
    return this.settings.stepNice;
  }

  /** Starts the helper now, so the first step does not wait for it. */
  warm(): void {
    this.ensure();
  }

  /** The kind of helper in use, if any (for tests and diagnostics). */
  kind(): HelperKind | undefined {
    return this.ensure()?.kind;
  }

  /**
   * Asks the helper to start a process; undefined when there is no helper (the caller spawns itself).
   * A `background` process (a TaskRun network kept ready) does not keep the worker process alive;
   * like every other, it is killed when the worker goes away.
   */
  start(request: SpawnRequest, listener: Listener, background = false): SpawnerHandle | undefined {
    const helper = this.ensure();
    if (!helper) return undefined;
    const id = this.nextId++;
    if (background) helper.background.add(id);
    helper.listeners.set(id, (event) => {
      if (event.t === 'close' || event.t === 'lost' || event.t === 'error' || event.t === 'thrown') {
        helper.listeners.delete(id);
        helper.background.delete(id);
        refWhileBusy(helper);
      }
      listener(event);
    });
    refWhileBusy(helper);
    helper.channel.send({ t: 'spawn', id, ...request });
    return { kill: () => helper.channel.connected() && helper.channel.send({ t: 'kill', id }) };
  }

  private ensure(): Helper | undefined {
    if (this.helper?.channel.connected()) return this.helper;
    while (this.kinds.length > 0) {
      const kind = this.kinds[0];
      const holder: { helper?: Helper } = {};
      const channel = STARTERS[kind](this.settings, (message) => holder.helper && this.deliver(holder.helper, message));
      if (!channel) {
        this.kinds.shift();
        continue;
      }
      const helper: Helper = { channel, kind, listeners: new Map(), background: new Set(), ready: false };
      holder.helper = helper;
      this.watchExit(helper);
      this.helper = helper;
      refWhileBusy(helper);
      return helper;
    }
    return undefined;
  }

  private deliver(helper: Helper, { id, ...event }: HelperMessage): void {
    if (event.t === 'ready') helper.ready = true;
    else helper.listeners.get(id)?.(event);
  }

  private watchExit(helper: Helper): void {
    helper.channel.child.on('exit', (code, signal) => {
      if (this.helper === helper) this.helper = undefined;
      // It died before it ran: this kind cannot run here, so the next kind is tried.
      if (!helper.ready && this.kinds[0] === helper.kind) this.kinds.shift();
      const message = `the helper that starts step processes exited (${signal ?? `code ${code}`})`;
      for (const listener of [...helper.listeners.values()]) listener({ t: 'lost', message, started: helper.ready });
    });
  }
}

/** Keeps the worker process alive while the helper's processes run, and only then. */
function refWhileBusy(helper: Helper): void {
  helper.channel.setRef(helper.listeners.size > helper.background.size);
}
