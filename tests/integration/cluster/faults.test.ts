import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterSrcDir, missingControlPlaneBinaries } from '../../cluster/binaries';
import { cleanupDir, ComponentExitedError } from '../../cluster/control-plane/processes';
import { startCluster } from '../../cluster/control-plane/start';
import { clusterAvailable } from './cluster';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const binariesBuilt = missingControlPlaneBinaries().length === 0;
// Named like the global setup's run dirs, so a later run sweeps them if this worker is killed.
const scratch = (): string => {
  const runs = join(clusterSrcDir, '..', '..', '.keelson');
  mkdirSync(runs, { recursive: true });
  return mkdtempSync(join(runs, `vitest-cluster-${process.pid}-fault-`));
};

describe('stale data dirs', () => {
  it('kills processes recorded by a killed run, spares recycled pids, and removes the dir', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'pids'));
    const stale = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const bystander = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const stalePid = stale.pid ?? 0;
    const bystanderPid = bystander.pid ?? 0;
    try {
      writeFileSync(join(dir, 'pids', 'etcd.pid'), `${stalePid} ${readlinkSync(`/proc/${stalePid}/exe`)}\n`);
      // A pid file whose pid now runs some other program must not be killed.
      writeFileSync(join(dir, 'pids', 'kwok.pid'), `${bystanderPid} /nonexistent/kwok\n`);
      const killed = await cleanupDir(dir);
      expect(killed).toEqual([stalePid]);
      expect(alive(bystanderPid)).toBe(true);
      expect(existsSync(dir)).toBe(false);
    } finally {
      stale.kill('SIGKILL');
      bystander.kill('SIGKILL');
    }
  });
});

describe.skipIf(!clusterAvailable || !binariesBuilt)('start-up faults', () => {
  it('a component that exits early fails the start fast with its log, and nothing is left running', async () => {
    const dir = scratch();
    const t0 = Date.now();
    const err: unknown = await startCluster({
      dir,
      log: () => undefined,
      extraArgs: { 'kube-apiserver': ['--no-such-flag'] },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ComponentExitedError);
    const exited = err as ComponentExitedError;
    expect(exited.component).toBe('kube-apiserver');
    expect(exited.logTail).toMatch(/unknown flag: --no-such-flag/);
    expect(exited.logTail.split('\n').length).toBeLessThanOrEqual(50);
    expect(Date.now() - t0).toBeLessThan(30_000);
    // etcd was started before the apiserver died: it must have been stopped too.
    await cleanupDir(dir).then((leftovers) => expect(leftovers).toEqual([]));
  });

  it('a port taken by someone else is replaced by a free one', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const addr = busy.address();
    const busyPort = typeof addr === 'object' && addr ? addr.port : 0;
    const lines: string[] = [];
    const cluster = await startCluster({ dir: scratch(), ports: { apiserver: busyPort }, log: (l) => lines.push(l) });
    try {
      expect(new URL(cluster.conn.server).port).not.toBe(String(busyPort));
      expect(lines).toContain(`port ${busyPort} (apiserver) is in use; using ${new URL(cluster.conn.server).port}`);
    } finally {
      await cluster.stop();
      busy.close();
    }
    for (const p of cluster.processes) expect(alive(p.pid)).toBe(false);
  });
});
