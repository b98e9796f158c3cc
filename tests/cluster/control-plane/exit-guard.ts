/**
 * Kills started processes if this Node process exits or gets SIGINT/SIGTERM/SIGHUP
 * (a test worker cancelled mid-test, Ctrl-C during start-up...).
 */
import { isOurProcess, killPidsNow, type ManagedProcess } from './processes';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Synchronous SIGKILL of those `procs` that still run their binary. */
export function killProcsNow(procs: readonly ManagedProcess[]): void {
  killPidsNow(procs.filter((p) => isOurProcess(p.pid, p.bin)).map((p) => p.pid));
}

/**
 * Installs the guard over the (growing) `procs` list; returns a function that removes it.
 * `afterKill` runs synchronously after the kill (the real node's teardown: cgroups, mounts, bridge).
 */
export function guardProcesses(procs: readonly ManagedProcess[], afterKill: () => void = () => undefined): () => void {
  const killAll = (): void => {
    killProcsNow(procs);
    try {
      afterKill();
    } catch (err) {
      process.stderr.write(`[cluster] teardown after kill failed: ${String(err)}\n`);
    }
  };
  const onExit = (): void => killAll();
  const onSignal = (signal: NodeJS.Signals): void => {
    release();
    killAll();
    // Nobody else handles it: behave like Node's default and die of the signal.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const release = (): void => {
    process.off('exit', onExit);
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
  return release;
}
