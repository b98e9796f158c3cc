import { spawn, type ChildProcess } from 'node:child_process';

/** How a process ended: its exit code, or the signal that ended it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number | undefined;
  exited: Promise<ExitInfo>;
  /** SIGTERM, then SIGKILL if it still runs after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Wraps a spawned process: its exit as a promise, and a stop that escalates. */
export function childOf(name: string, proc: ChildProcess): Child {
  const exited = new Promise<ExitInfo>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const running = () => proc.exitCode === null && proc.signalCode === null;
  return {
    name,
    proc,
    pid: proc.pid,
    exited,
    async stop(graceMs = 25_000) {
      if (running()) proc.kill('SIGTERM');
      const timer = setTimeout(() => running() && proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a TypeScript entry point in its own Node process, sharing our terminal. */
export function startChild(name: string, root: string, entry: string, args: string[], env: NodeJS.ProcessEnv): Child {
  return childOf(
    name,
    spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, env, stdio: 'inherit' }),
  );
}

export async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
