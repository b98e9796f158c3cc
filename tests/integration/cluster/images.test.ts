/**
 * The test images (tests/cluster/images/build.sh) in a real docker-registry serving the store read-only:
 * every published reference resolves (skopeo) with the config upstream's image has, the names the real
 * node promises map to published repositories the way containerd maps them (host swapped, path kept),
 * and the images run under runc: busybox's applets, git/python3/bash in the tools image, pause's SIGTERM.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryPath, componentVersion } from '../../cluster/binaries';
import {
  ensureImageStore,
  imageStoreDir,
  imagesBuildScript,
  type PublishedImage,
  publishedImages,
  registryConfigYaml,
} from '../../cluster/images';

const run = promisify(execFile);
const TOOLS = ['docker-registry', 'skopeo', 'umoci', 'runc', 'busybox', 'go'];

function requirementsOrSkip(): boolean {
  const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
  const reason =
    process.getuid?.() !== 0
      ? 'not root (building and running the images needs root)'
      : missing.length > 0
        ? `missing ${missing.join(', ')} (apt-get install docker-registry skopeo umoci runc busybox-static)`
        : null;
  if (!reason) return true;
  if (process.env.CI === 'true') throw new Error(`test image checks cannot run under CI: ${reason}`);
  console.warn(`\n!!!!! TEST IMAGE CHECKS SKIPPED: ${reason} !!!!!\n`);
  return false;
}
const ready = requirementsOrSkip();

type Expected = { Entrypoint: string[] | null; Cmd: string[]; WorkingDir: string | null };
const tools = (Cmd: string[], Entrypoint: string[] | null = null, WorkingDir: string | null = null): Expected => ({
  Entrypoint,
  Cmd,
  WorkingDir,
});
/** ko names an image `<last path element>-<md5 of the import path>`: md5('github.com/tektoncd/pipeline/cmd/entrypoint'). */
const KO_HASH = 'bff0a22da108bc2f16c818c97641a296';
/** Upstream's Entrypoint/Cmd/WorkingDir per repository (written here, not read from images.json). */
const EXPECTED: Record<string, Expected> = {
  'library/busybox': tools(['sh']),
  'library/bash': tools(['bash'], ['docker-entrypoint.sh']),
  'library/ubuntu': tools(['/bin/bash']),
  'library/alpine': tools(['/bin/sh']),
  'alpine/git': tools(['--help'], ['git'], '/git'),
  'library/python': tools(['python3']),
  pause: { Entrypoint: ['/pause'], Cmd: [], WorkingDir: '/' },
  // Tekton's entrypoint as ko publishes it (upstream's release name, and the plain one Keelson defaults to).
  [`tektoncd/pipeline/entrypoint-${KO_HASH}`]: {
    Entrypoint: ['/ko-app/entrypoint'],
    Cmd: [],
    WorkingDir: '/home/nonroot',
  },
  'tektoncd/pipeline/entrypoint': { Entrypoint: ['/ko-app/entrypoint'], Cmd: [], WorkingDir: '/home/nonroot' },
};
const expectedFor = (repository: string): Expected | undefined =>
  EXPECTED[repository] ?? EXPECTED[`library/${repository}`];

/** Where containerd looks a name up when hosts.toml points its registry host at ours: the path, unchanged. */
function registryPath(name: string): string {
  const first = name.split('/')[0];
  const hasHost = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'docker.io';
  let path = hasHost ? name.slice(first.length + 1) : name;
  if (host === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return /:[^/]+$/.test(path) ? path : `${path}:latest`;
}

/** The names tests and Tekton tasks write, which the real node contract promises. */
const PROMISED = [
  'busybox',
  'busybox:1.36',
  'docker.io/library/busybox:latest',
  'bash',
  'bash:5',
  'ubuntu',
  'ubuntu:22.04',
  'ubuntu:24.04',
  'alpine',
  'alpine:3.20',
  'alpine/git',
  'python',
  'python:3',
  'python:3.12',
  'python:3.12-slim',
  'mirror.gcr.io/alpine',
  'mirror.gcr.io/busybox:1.36',
  'registry.k8s.io/pause:3.10',
  `ghcr.io/tektoncd/pipeline/entrypoint-${KO_HASH}:v1.15.0`,
  'ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0',
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => { for (let i = queue.shift(); i; i = queue.shift()) await fn(i); })); // prettier-ignore
}

describe.skipIf(!ready)('test images in a read-only docker-registry', () => {
  let work = '';
  let store = '';
  let images: PublishedImage[] = [];
  let registry: ChildProcess | undefined;
  let addr = '';
  const skopeo = async (...args: string[]): Promise<string> =>
    (await run('skopeo', ['--insecure-policy', ...args], { maxBuffer: 8 << 20 })).stdout;

  beforeAll(async () => {
    store = ensureImageStore();
    images = publishedImages(store);
    work = mkdtempSync(join(tmpdir(), 'keelson-images-test-'));
    const port = await freePort();
    addr = `127.0.0.1:${port}`;
    writeFileSync(join(work, 'registry.yml'), registryConfigYaml(store, port));
    registry = spawn('docker-registry', ['serve', join(work, 'registry.yml')], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://${addr}/v2/`).then((r) => r.ok, () => false); // prettier-ignore
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`docker-registry did not answer on ${addr}`);
  }, 600_000);

  afterAll(() => {
    if (registry?.pid) process.kill(registry.pid, 'SIGTERM');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('--print-dir names the store that was built, and images.json lists every repository', () => {
    expect(imageStoreDir()).toBe(store);
    const repos = new Set(images.map((i) => i.repository));
    for (const repo of Object.keys(EXPECTED)) expect(repos).toContain(repo);
    for (const repo of ['busybox', 'bash', 'ubuntu', 'alpine', 'python']) expect(repos).toContain(repo);
  });

  it("the store key follows the entrypoint binary's bytes (not its path)", () => {
    const cache = mkdtempSync(join(tmpdir(), 'keelson-images-key-'));
    try {
      const bin = join(cache, 'tekton', componentVersion('tekton'), 'bin');
      mkdirSync(bin, { recursive: true });
      copyFileSync(binaryPath('entrypoint'), join(bin, 'entrypoint'));
      const keyIn = (dir: string): string | undefined =>
        spawnSync('bash', [imagesBuildScript, '--print-dir'], {
          encoding: 'utf8',
          env: { ...process.env, KEELSON_CACHE_DIR: dir },
        })
          .stdout.trim()
          .split('/')
          .at(-2);
      expect(keyIn(cache)).toBe(store.split('/').at(-2));
      appendFileSync(join(bin, 'entrypoint'), 'x');
      expect(keyIn(cache)).not.toBe(store.split('/').at(-2));
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('every name the real node promises maps to a published repository:tag', () => {
    const published = new Set(images.map((i) => `${i.repository}:${i.tag}`));
    for (const name of PROMISED) expect(published, name).toContain(registryPath(name));
    expect(registryPath('mirror.gcr.io/alpine')).toBe('alpine:latest');
    expect(registryPath('busybox')).toBe('library/busybox:latest');
  });

  it('every published reference resolves with its digest and upstream config', async () => {
    expect(images.length).toBeGreaterThan(50);
    await pool(images, 4, async (img) => {
      const url = `docker://${addr}/${img.repository}:${img.tag}`;
      const info = JSON.parse(await skopeo('inspect', '--tls-verify=false', url)) as { Digest: string };
      const raw = JSON.parse(await skopeo('inspect', '--config', '--tls-verify=false', url)) as {
        config: Record<string, unknown>;
      };
      expect(info.Digest, img.reference).toBe(img.digest);
      const want = expectedFor(img.repository);
      expect(want, `${img.reference} has no expected config`).toBeDefined();
      expect(raw.config.Entrypoint ?? null, img.reference).toEqual(want?.Entrypoint);
      expect(raw.config.Cmd ?? [], img.reference).toEqual(want?.Cmd);
      expect(raw.config.WorkingDir ?? null, img.reference).toBe(want?.WorkingDir);
      expect(raw.config.Env, img.reference).toEqual(expect.arrayContaining([expect.stringMatching(/^PATH=\//)]));
      expect(raw.config, img.reference).toMatchObject({ Env: img.config.Env ?? undefined });
    });
  }, 300_000);

  it('the registry serves the store read-only: a push is refused', async () => {
    const push = skopeo(
      'copy',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      `docker://${addr}/library/busybox:latest`,
      `docker://${addr}/t/x:1`,
    );
    await expect(push).rejects.toThrow(/405, Method not allowed/);
    expect(await fetch(`http://${addr}/v2/t/x/manifests/1`).then((r) => r.status)).toBe(404);
  });

  describe('running the images with runc', () => {
    const bundles = new Map<string, { dir: string; spec: string }>();
    const unpacked = new Map<string, string>(); // layer digests -> rootfs
    let n = 0;
    /** Pulls repository:tag from the registry into an OCI layout and unpacks it into a runc bundle. */
    async function bundle(ref: string): Promise<{ dir: string; spec: { process: Record<string, unknown> } }> {
      let have = bundles.get(ref);
      if (!have) {
        const name = ref.replace(/[^a-z0-9]+/g, '-');
        const layout = `${join(work, 'oci')}:${name}`;
        const dir = join(work, name);
        await skopeo('copy', '-q', '--src-tls-verify=false', `docker://${addr}/${ref}`, `oci:${layout}`);
        // Images sharing their layers (the tools image's names) share one unpacked rootfs; the runtime
        // config is still generated from each image's own config.
        const layers = JSON.stringify(
          (JSON.parse(await skopeo('inspect', `oci:${layout}`)) as { Layers: string[] }).Layers,
        );
        const rootfs = unpacked.get(layers);
        if (rootfs) {
          mkdirSync(dir);
          await run('umoci', [
            'raw',
            'runtime-config',
            '--image',
            layout,
            '--rootfs',
            rootfs,
            join(dir, 'config.json'),
          ]);
          const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { root: { path: string } };
          writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...spec, root: { ...spec.root, path: rootfs } }));
        } else {
          await run('umoci', ['unpack', '--image', layout, dir]);
          unpacked.set(layers, join(dir, 'rootfs'));
        }
        have = { dir, spec: readFileSync(join(dir, 'config.json'), 'utf8') };
        bundles.set(ref, have);
      }
      return { dir: have.dir, spec: JSON.parse(have.spec) as { process: Record<string, unknown> } };
    }
    /** Runs the image's process (Entrypoint + Cmd, or + args when given), as a container runtime does. */
    async function runImage(ref: string, args?: string[]): Promise<{ code: number; out: string; err: string }> {
      const { dir, spec } = await bundle(ref);
      // Arguments replace Cmd and follow the Entrypoint (upstream's, as EXPECTED has it).
      if (args) spec.process.args = [...(expectedFor(ref.split(':')[0])?.Entrypoint ?? []), ...args];
      spec.process.terminal = false;
      writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
      const id = `keelson-images-${process.pid}-${n++}`;
      const res = spawnSync('runc', ['--root', join(work, 'runc'), 'run', '--bundle', dir, id], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { code: res.status ?? -1, out: res.stdout, err: res.stderr };
    }

    it('busybox: Cmd sh with the applets on PATH', async () => {
      const r = await runImage('library/busybox:1.36', [
        'sh',
        '-c',
        'echo "$0"; ls /bin | wc -l; id -u; busybox | head -1',
      ]);
      expect(r.code, r.err).toBe(0);
      const [shell, count, uid, banner] = r.out.trim().split('\n');
      expect(shell).toBe('sh');
      expect(Number(count)).toBeGreaterThan(50);
      expect(uid).toBe('0');
      expect(banner).toMatch(/^BusyBox v1\.\d+/);
    });

    it('tools image: git, python3 and bash through each image config', async () => {
      const git = await runImage('alpine/git:latest', ['--version']);
      expect(git.code, git.err).toBe(0);
      expect(git.out).toMatch(/^git version 2\.\d+/);
      const defaultCmd = await runImage('alpine/git:latest');
      expect(defaultCmd.out + defaultCmd.err).toMatch(/usage: git/);
      const py = await runImage('library/python:3.12', ['python', '-c', 'import ssl, sqlite3, json; print(6*7)']);
      expect(py.code, py.err).toBe(0);
      expect(py.out.trim()).toBe('42');
      const bash = await runImage('library/bash:5', [
        '-c',
        'echo "bash ${BASH_VERSINFO[0]} $(id -un) $PWD"; ls -ld /tmp',
      ]);
      expect(bash.code, bash.err).toBe(0);
      expect(bash.out).toMatch(/^bash 5 root \/\n/);
      expect(bash.out).toMatch(/^drwxrwxrwt /m);
      const clone = await runImage('library/ubuntu:22.04', [
        'bash',
        '-c',
        'set -e; cd /tmp; git init -q r; cd r; echo hi > f; git -c user.email=a@b -c user.name=a add f; ' +
          'git -c user.email=a@b -c user.name=a commit -qm m; git log --format=%s; awk "BEGIN{print 7}"',
      ]);
      expect(clone.code, clone.err).toBe(0);
      expect(clone.out.trim().split('\n')).toEqual(['m', '7']);
    });

    it("Tekton's entrypoint: /ko-app/entrypoint runs as nonroot 65532 (its cp subcommand)", async () => {
      const { spec } = await bundle('tektoncd/pipeline/entrypoint:v1.15.0');
      expect(spec.process.user).toMatchObject({ uid: 65532 });
      const r = await runImage('tektoncd/pipeline/entrypoint:v1.15.0', ['cp', '/ko-app/entrypoint', '/tmp/ep']);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain('Copied /ko-app/entrypoint to /tmp/ep');
    });

    it('pause: runs as 65535 and exits 0 on SIGTERM', async () => {
      const { dir, spec } = await bundle('pause:3.10');
      expect(spec.process.args).toEqual(['/pause']);
      expect(spec.process.user).toMatchObject({ uid: 65535, gid: 65535 });
      spec.process.terminal = false;
      writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
      const id = `keelson-images-${process.pid}-pause`;
      const runc = ['--root', join(work, 'runc')];
      const child = spawn('runc', [...runc, 'run', '--bundle', dir, id], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      let state = '';
      for (let i = 0; i < 50 && !state.includes('"running"'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = spawnSync('runc', [...runc, 'state', id], { encoding: 'utf8' }).stdout;
      }
      expect(state).toContain('"running"');
      spawnSync('runc', [...runc, 'kill', id, 'TERM']);
      expect(await exited).toBe(0);
      expect(err).toMatch(/Shutting down, got signal: terminated/);
    });
  });
});
