import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderPool } from '../../lib/adapters/executors/local/folder-pool';
import { Spawner, type HelperKind, type SpawnEvent } from '../../lib/adapters/executors/local/spawner';

/** Runs one process through a helper of the given kind and collects what it reports. */
function run(spawner: Spawner, file: string, args: string[], opts: { kill?: boolean; cwd?: string } = {}) {
  return new Promise<{
    events: SpawnEvent['t'][];
    out: string;
    err: string;
    exit?: { code: number | null; signal: string | null };
    error?: SpawnEvent;
  }>((resolve) => {
    const events: SpawnEvent['t'][] = [];
    let out = '';
    let err = '';
    let exit: { code: number | null; signal: string | null } | undefined;
    const handle = spawner.start(
      { file, args, env: { PATH: '/usr/bin:/bin' }, cwd: opts.cwd ?? os.tmpdir() },
      (event) => {
        events.push(event.t);
        if (event.t === 'spawned' && opts.kill) setTimeout(() => handle?.kill(), 100);
        if (event.t === 'out' && event.s === 'stdout') out += Buffer.from(event.d).toString();
        if (event.t === 'out' && event.s === 'stderr') err += Buffer.from(event.d).toString();
        if (event.t === 'exit') exit = { code: event.code, signal: event.signal };
        if (event.t === 'close') resolve({ events, out, err, exit });
        if (event.t === 'error' || event.t === 'thrown') resolve({ events, out, err, error: event });
      },
    );
    expect(handle).toBeDefined();
  });
}

describe.each(['python', 'node'] as HelperKind[])('step spawner helper: %s', (kind) => {
  const spawner = new Spawner(200, [kind]);

  it(`runs as a ${kind} helper`, () => {
    expect(spawner.kind()).toBe(kind);
  });

  it('relays stdout, stderr and the exit code, in order', async () => {
    const r = await run(spawner, 'sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(r.events[0]).toBe('spawned');
    expect(r.events.at(-1)).toBe('close');
    expect(r.out).toBe('out\n');
    expect(r.err).toBe('err\n');
    expect(r.exit).toEqual({ code: 3, signal: null });
  });

  it('reports a missing program as ENOENT, as Node does', async () => {
    const r = await run(spawner, 'no-such-program-here', []);
    expect(r.error).toMatchObject({ t: 'error', code: 'ENOENT' });
  });

  it('kills the whole process group when asked', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keelson-spawner-'));
    const r = await run(spawner, 'sh', ['-c', `(sleep 0.5; touch ${dir}/child-survived) & sleep 5`], { kill: true });
    expect(r.exit).toEqual({ code: null, signal: 'SIGKILL' });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(existsSync(path.join(dir, 'child-survived'))).toBe(false);
  });

  it('keeps bytes that are not UTF-8 intact', async () => {
    const r = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      spawner.start(
        { file: 'printf', args: ['\\377\\000\\001'], env: { PATH: '/usr/bin:/bin' }, cwd: os.tmpdir() },
        (e) => {
          if (e.t === 'out') chunks.push(Buffer.from(e.d));
          if (e.t === 'close') resolve(Buffer.concat(chunks));
        },
      );
    });
    expect([...r]).toEqual([0xff, 0x00, 0x01]);
  });
});

describe.each(['python', 'node'] as HelperKind[])('%s step spawner', (kind) => {
  it('runs steps below the worker in CPU priority (KEELSON_STEP_NICE, default 10)', async () => {
    const spawner = new Spawner(200, [kind]);
    const r = await run(spawner, 'sh', ['-c', 'cut -d" " -f19 /proc/self/stat']);
    expect(spawner.kind()).toBe(kind);
    expect(Number(r.out.trim())).toBe(Math.min(19, Number(process.env.KEELSON_STEP_NICE ?? 10) + os.getPriority()));
  });
});

describe('TaskRun folder pool', () => {
  const subs = (root: string) =>
    ['results', 'steps', 'home', 'tmp', 'scripts', 'workspace'].map((s) => path.join(root, s));

  it('makes the folders at once, then hands out ready trees made in the background', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'keelson-pool-'));
    const pool = new FolderPool(4);
    pool.take(path.join(parent, 'a'), subs(path.join(parent, 'a')));
    expect(readdirSync(path.join(parent, 'a')).sort()).toEqual([
      'home',
      'results',
      'scripts',
      'steps',
      'tmp',
      'workspace',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const poolDir = path.join(parent, '.pool', String(process.pid));
    expect(readdirSync(poolDir)).toHaveLength(4);
    pool.take(path.join(parent, 'b'), subs(path.join(parent, 'b')));
    expect(readdirSync(poolDir)).toHaveLength(3);
    expect(readdirSync(path.join(parent, 'b')).sort()).toEqual([
      'home',
      'results',
      'scripts',
      'steps',
      'tmp',
      'workspace',
    ]);
  });

  it('leaves a TaskRun folder that already has content as it is', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'keelson-pool-'));
    const pool = new FolderPool(2);
    pool.take(path.join(parent, 'warm'), subs(path.join(parent, 'warm')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const root = path.join(parent, 'again');
    pool.take(root, subs(root));
    writeFileSync(path.join(root, 'results', 'kept'), 'yes');
    pool.take(root, subs(root));
    expect(readFileSync(path.join(root, 'results', 'kept'), 'utf8')).toBe('yes');
  });
});

describe.each(['python', 'node'] as HelperKind[])("%s step spawner and the worker's descriptors", (kind) => {
  it('hands a step none of the descriptors the worker left open across exec', () => {
    // The "worker" here is a node process started with fd 7 open and not close-on-exec, as a supervisor might leave it.
    const script = `
      import { Spawner } from './lib/adapters/executors/local/spawner';
      let out = '';
      new Spawner(200, ['${kind}']).start({ file: 'sh', args: ['-c', 'ls /proc/self/fd'], env: { PATH: '/usr/bin:/bin' }, cwd: '/' }, (e) => {
        if (e.t === 'out') out += Buffer.from(e.d).toString();
        if (e.t === 'close') { console.log(JSON.stringify(out.trim().split('\\n').map(Number).sort((a, b) => a - b))); process.exit(0); }
      });
    `;
    const r = spawnSync(
      'bash',
      [
        '-c',
        'exec 7</etc/hostname; test -e /proc/self/fd/7 && exec "$0" --import tsx --input-type=module -e "$1"',
        process.execPath,
        script,
      ],
      { cwd: process.cwd(), encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(0);
    // 0, 1, 2 and ls's own descriptor of /proc/self/fd.
    expect(JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]')).toEqual([0, 1, 2, 3]);
  });
});
