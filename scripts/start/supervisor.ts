import { errorMessage } from '@/lib/domain/error-message';
import {
  decideRestart,
  DEFAULT_RESTART_POLICY,
  formatDelay,
  NO_RESTARTS,
  type RestartHistory,
  type RestartPolicy,
} from '@/lib/domain/system/restart-policy';
import type { ChildStatus, SupervisedChild, SupervisorState } from '@/lib/domain/system/supervisor-state';
import { describeExit, type ExitInfo } from './children';

/** One running instance of a supervised child: a process, or the embedded Postgres. */
export interface Running {
  pid: number | undefined;
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  policy?: RestartPolicy;
  log: (line: string) => void;
  /** Called with the whole state on every change (the state file's writer). */
  onState?: (state: SupervisorState) => void;
  /** Called once when a child crashed too often: the caller stops everything. */
  onGiveUp: (name: SupervisedChild, reason: string) => void;
  now?: () => number;
}

interface Entry {
  name: SupervisedChild;
  start: () => Promise<Running>;
  current?: Running;
  startedAt: number;
  history: RestartHistory;
  restarts: number;
  /** Resolves a restart's wait early when everything stops. */
  wake?: () => void;
  /** The watch loop; done when the child is stopped for good. */
  loop?: Promise<void>;
}

/**
 * `npm start`'s supervisor: a child that exits while Keelson is not stopping is started again after the restart
 * policy's wait, the others keep running, and the exit is logged with its cause. A child that exits too often gives
 * up (onGiveUp). `stop` ends the given children for good: no restart while stopping.
 */
export function createSupervisor(o: SupervisorOptions) {
  const policy = o.policy ?? DEFAULT_RESTART_POLICY;
  const now = o.now ?? Date.now;
  const entries = new Map<SupervisedChild, Entry>();
  let stopping = false;
  let gaveUp = false;

  function publish(): void {
    const children: Partial<Record<SupervisedChild, ChildStatus>> = {};
    for (const e of entries.values())
      children[e.name] = e.current
        ? { state: 'running', pid: e.current.pid, restarts: e.restarts }
        : { state: 'restarting', restarts: e.restarts };
    o.onState?.({ pid: process.pid, updatedAt: new Date(now()).toISOString(), children });
  }

  async function watch(e: Entry): Promise<void> {
    let exit: Promise<string> = e.current!.exited.then(describeExit);
    for (;;) {
      const why = await exit;
      e.current = undefined;
      if (stopping) return;
      const decision = decideRestart(e.history, { startedAt: e.startedAt, exitedAt: now() }, policy);
      e.history = decision.history;
      if (decision.kind === 'give-up') {
        const reason = `${e.name} exited ${decision.exits} times within ${formatDelay(decision.windowMs)} (last: ${why})`;
        o.log(`${reason}; stopping everything. Its output above says why.`);
        publish();
        if (!gaveUp) o.onGiveUp(e.name, reason);
        gaveUp = true;
        return;
      }
      e.restarts++;
      publish();
      o.log(`${e.name} exited (${why}); restarting in ${formatDelay(decision.delayMs)} (restart ${e.restarts})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, decision.delayMs);
        e.wake = () => (clearTimeout(timer), resolve());
      });
      e.wake = undefined;
      if (stopping) return;
      e.startedAt = now();
      try {
        const running = await e.start();
        if (stopping) return void (await running.stop());
        e.current = running;
        o.log(`${e.name} restarted (pid ${running.pid})`);
        publish();
        exit = running.exited.then(describeExit);
      } catch (err) {
        // A start that fails counts as an exit at once: the policy's waits and its limit apply to it too.
        exit = Promise.resolve(`did not start: ${errorMessage(err)}`);
      }
    }
  }

  return {
    /** Supervises a child already started (`first`), restarting it with `start`. */
    adopt(name: SupervisedChild, first: Running, start: () => Promise<Running>): void {
      const e: Entry = { name, start, current: first, startedAt: now(), history: NO_RESTARTS, restarts: 0 };
      entries.set(name, e);
      e.loop = watch(e);
      publish();
    },
    /** The process of a child now (undefined while it restarts). */
    pid: (name: SupervisedChild) => entries.get(name)?.current?.pid,
    /** False once a child gave up or stop was called. */
    active: () => !stopping && !gaveUp,
    /** Stops the named children for good (all at once) and waits for them; nothing restarts from now on. */
    async stop(names: readonly SupervisedChild[]): Promise<void> {
      stopping = true;
      await Promise.all(
        names.map(async (name) => {
          const e = entries.get(name);
          if (!e) return;
          e.wake?.();
          await e.current?.stop();
          await e.loop;
        }),
      );
    },
  };
}

export type Supervisor = ReturnType<typeof createSupervisor>;
