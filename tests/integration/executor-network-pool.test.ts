import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalExecutor } from '../../lib/adapters/executors/local';
import { runPlan, step } from './executor-local-helpers';
import { testLocalHost } from './support/local-host';

/**
 * TaskRun networks are made ahead of time (network-pool.ts): each is still used by exactly one
 * TaskRun and closed after it, the ready ones do not keep the worker alive, and they die with it.
 */

/** Host processes by network namespace (`net:[inode]`), among those named `comm`. */
async function byNetwork(comm: string): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await readFile(`/proc/${entry}/comm`, 'utf8')).trim() !== comm) continue;
      const netns = await readlink(`/proc/${entry}/ns/net`);
      found.set(netns, [...(found.get(netns) ?? []), Number(entry)]);
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
    if (await check()) return true;
  return check();
}

describe('TaskRun networks', () => {
  it('gives every TaskRun a network no other TaskRun uses, and closes it after the TaskRun', async () => {
    await createLocalExecutor(testLocalHost).sandboxStatus();
    // Each namespace is held by a `sleep` (the holder): note them while the steps run.
    const holders = new Map<string, Set<number>>();
    const polling = setInterval(() => {
      void byNetwork('sleep').then((m) =>
        m.forEach((pids, netns) =>
          pids.forEach((pid) => holders.set(netns, (holders.get(netns) ?? new Set()).add(pid))),
        ),
      );
    }, 100);
    // Four TaskRuns at once: while they run, their namespaces all exist, so equal inode numbers would be one namespace.
    const runs = await Promise.all(
      [1, 2, 3, 4].map(() => runPlan({}, [step('netns', { script: 'readlink /proc/self/ns/net; sleep 1.5' })])),
    );
    clearInterval(polling);
    const seen = runs.map((r) => r.text[0]);
    for (const r of runs) expect(r.outcome).toMatchObject({ status: 'Succeeded', sandbox: 'bubblewrap' });
    for (const netns of seen) expect(netns).toMatch(/^net:\[\d+\]$/);
    expect(new Set(seen).size).toBe(4);
    expect(seen).not.toContain(await readlink('/proc/self/ns/net'));
    // Its holder is killed once the TaskRun ends (slirp4netns ends with it).
    const used = seen.flatMap((netns) => [...(holders.get(netns) ?? [])]);
    expect(used.length).toBeGreaterThanOrEqual(4);
    expect(await eventually(async () => (await readdir('/proc')).every((e) => !used.includes(Number(e))), 5_000)).toBe(
      true,
    );
  });

  it('keeps networks ready without keeping the worker alive, and they end with the worker', async () => {
    // A worker that asks for the sandbox status (which fills the pool), reports its ready slirp4netns, and then has nothing left to do.
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      import { createLocalExecutor } from './lib/adapters/executors/local';
      import { testLocalHost } from './tests/integration/support/local-host';
      const ppid = (pid) => Number(readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' ')[1]);
      const name = (pid) => readFileSync('/proc/' + pid + '/comm', 'utf8').trim();
      const mine = () => readdirSync('/proc').filter((e) => /^\\d+$/.test(e)).map(Number).filter((pid) => {
        try { return name(pid) === 'slirp4netns' && ppid(ppid(pid)) === process.pid; } catch { return false; }
      });
      const status = await createLocalExecutor(testLocalHost, { networkPoolSize: 2 }).sandboxStatus();
      for (let i = 0; i < 100 && mine().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      console.log(JSON.stringify({ status: status.sandbox, slirps: mine() }));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(-1);
      }, 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    expect(exited).toBe(0);
    const report = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { status: string; slirps: number[] };
    expect(report.status).toBe('bubblewrap');
    expect(report.slirps).toHaveLength(2);
    const alive = async () => (await readdir('/proc')).filter((e) => report.slirps.includes(Number(e)));
    expect(await eventually(async () => (await alive()).length === 0, 5_000)).toBe(true);
  });
});

describe('a TaskRun refused for its workspace path', () => {
  it('says it would have run in the sandbox', async () => {
    const volume = await mkdtemp(path.join(os.tmpdir(), 'keelson-volume-'));
    await mkdir(path.join(volume, 'real'));
    await symlink(path.join(volume, 'real'), path.join(volume, 'link'));
    const run = await runPlan({ stepNetwork: 'none' }, [step('a', { script: 'true' })], {
      workspaces: [
        {
          name: 'source',
          mountPath: '/workspace/source',
          hostPath: path.join(volume, 'link', 'sub'),
          root: volume,
          readOnly: false,
        },
      ],
    });
    expect(run.outcome).toMatchObject({
      status: 'Failed',
      sandbox: 'bubblewrap',
      message: expect.stringMatching(/symlink/),
    });
    expect(run.events).toEqual([]);
  });
});
