/**
 * Image config lookups (the Entrypoint/Cmd a step without command runs) against the test cluster's REAL
 * local registry, which serves busybox, python, alpine/git, bash... with upstream's Entrypoint/Cmd.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createImageConfigResolver, ImageConfigError } from '@/lib/adapters/registry';
import { publishedImages } from '../../cluster/images';
import { startFront, type Front } from './image-config-front.test-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();
const registry = realNode?.registry ?? '';
const mirrorOf = (origin: string) => ({ 'docker.io': origin });

const fronts: Front[] = [];
async function front(options: Omit<Parameters<typeof startFront>[0], 'registry'> = {}): Promise<Front> {
  const f = await startFront({ registry, ...options });
  fronts.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fronts.splice(0).map((f) => f.close()));
});

async function failure(work: Promise<unknown>): Promise<ImageConfigError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageConfigError);
  return error as ImageConfigError;
}

describe.skipIf(!realNode)('image config from the real local registry (docker.io mirrored to it)', () => {
  const resolver = () => createImageConfigResolver({ mirrors: mirrorOf(`http://${registry}`) });

  it('reads upstream Entrypoint/Cmd: python -> cmd python3, alpine/git -> entrypoint git, bash', async () => {
    const r = resolver();
    const [python, git, bash, busybox] = await Promise.all([
      r.commandOf('python'),
      r.commandOf('alpine/git'),
      r.commandOf('docker.io/library/bash:5.2'),
      r.commandOf('busybox:1.36'),
    ]);
    expect(python).toMatchObject({ entrypoint: [], cmd: ['python3'] });
    expect(git).toMatchObject({ entrypoint: ['git'], cmd: ['--help'] });
    expect(bash).toMatchObject({ entrypoint: ['docker-entrypoint.sh'], cmd: ['bash'] });
    expect(busybox).toMatchObject({ entrypoint: [], cmd: ['sh'] });
    const published = publishedImages();
    const digestOf = (reference: string) => published.find((i) => i.reference === reference)?.digest;
    expect(python.digest).toBe(digestOf('docker.io/library/python:latest'));
    expect(git.digest).toBe(digestOf('docker.io/alpine/git:latest'));
    expect(bash.digest).toBe(digestOf('docker.io/library/bash:5.2'));
  });

  it('`_default` mirrors every registry: ghcr.io (Tekton entrypoint), registry.k8s.io; results are copies', async () => {
    const r = createImageConfigResolver({ mirrors: { _default: `http://${registry}` } });
    const entrypoint = await r.commandOf('ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0');
    expect(entrypoint).toMatchObject({ entrypoint: ['/ko-app/entrypoint'], cmd: [] });
    expect((await r.commandOf('registry.k8s.io/pause:3.10')).entrypoint).toEqual(['/pause']);
    entrypoint.entrypoint.push('mutated');
    expect((await r.commandOf('ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0')).entrypoint).toEqual([
      '/ko-app/entrypoint',
    ]);
  });

  it('a digest reference resolves to the same config; an unknown digest or image is a clear error', async () => {
    const r = resolver();
    const { digest } = await r.commandOf('python:3.11');
    const pinned = await createImageConfigResolver({ mirrors: mirrorOf(`http://${registry}`) }).commandOf(
      `python@${digest}`,
    );
    expect(pinned).toEqual({ digest, entrypoint: [], cmd: ['python3'] });

    const missing = await failure(r.commandOf('keelson-test/does-not-exist:1'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('"keelson-test/does-not-exist:1"');
    expect(missing.message).toMatch(
      /the registry docker\.io \(mirror 127\.0\.0\.1:\d+\) has no image keelson-test\/does-not-exist:1;/,
    );
    expect(missing.message).toMatch(/give the step a command, or make the image readable/);
    const unknownDigest = await failure(r.commandOf(`python@sha256:${'0'.repeat(64)}`));
    expect(unknownDigest.code).toBe('NOT_FOUND');
    const invalid = await failure(r.commandOf('Not/A/Valid:Image'));
    expect(invalid.code).toBe('INVALID_REFERENCE');
  });
});

describe.skipIf(!realNode)('caching, sharing and bounds (a counting front before the real registry)', () => {
  it('caches by digest and tag: a second lookup sends no request; concurrent lookups share one', async () => {
    const f = await front();
    const r = createImageConfigResolver({ mirrors: mirrorOf(f.origin), tagTtlMs: 300 });
    const first = await r.commandOf('alpine/git');
    expect(first.entrypoint).toEqual(['git']);
    expect([f.count('/manifests/'), f.count('/blobs/')]).toEqual([1, 1]);
    await r.commandOf('alpine/git');
    await r.commandOf(`docker.io/alpine/git@${first.digest}`);
    expect(f.requests).toHaveLength(2);

    const all = await Promise.all(Array.from({ length: 8 }, () => r.commandOf('bash')));
    expect(new Set(all.map((a) => a.digest)).size).toBe(1);
    expect([f.count('/library/bash/manifests/'), f.count('/library/bash/blobs/')]).toEqual([1, 1]);

    // The tag's digest expires (tags move); the config is still cached by digest: no blob request.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await r.commandOf('alpine/git');
    expect([f.count('/alpine/git/manifests/'), f.count('/alpine/git/blobs/')]).toEqual([2, 1]);
  });

  it('picks linux/amd64 from an index; an index without it names what it offers', async () => {
    const f = await front();
    const r = createImageConfigResolver({ mirrors: mirrorOf(f.origin) });
    const multi = await r.commandOf('multi/arch');
    expect(multi.cmd).toEqual(['python3']);
    expect(multi.digest).not.toBe(
      publishedImages().find((i) => i.reference === 'docker.io/library/python:latest')?.digest,
    );
    const noAmd64 = await failure(r.commandOf('arm/only'));
    expect(noAmd64.code).toBe('NO_PLATFORM');
    expect(noAmd64.message).toMatch(/no linux\/amd64 variant \(it offers linux\/arm64\)/);
  });

  it('an image with neither Entrypoint nor Cmd asks for a command (cached: asked once)', async () => {
    const f = await front();
    const r = createImageConfigResolver({ mirrors: mirrorOf(f.origin) });
    for (let i = 0; i < 2; i++) {
      const error = await failure(r.commandOf('no/command:v1'));
      expect(error.code).toBe('NO_COMMAND');
      expect(error.message).toBe(
        'cannot read the image config of "no/command:v1": the image sets neither Entrypoint nor Cmd; give the step a command',
      );
    }
    expect(f.requests).toHaveLength(2);
  });

  it('bounds size and time: a 5 MiB manifest and a registry that never answers', async () => {
    const f = await front();
    const r = createImageConfigResolver({ mirrors: mirrorOf(f.origin), timeoutMs: 500 });
    expect((await failure(r.commandOf('huge/image'))).code).toBe('TOO_LARGE');
    const started = Date.now();
    expect((await failure(r.commandOf('never/answers'))).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
    // The caller's own signal ends its wait (the shared lookup goes on for others until its deadline).
    const cancelled = await r.commandOf('never/answers', { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((cancelled as Error).name).toBe('TimeoutError');
  });
});

describe.skipIf(!realNode)('private hosts (the image name makes the worker send requests)', () => {
  it('refuses a registry on loopback, link-local or private addresses and sends nothing', async () => {
    const f = await front();
    const port = new URL(f.origin).port;
    const r = createImageConfigResolver({});
    for (const image of [
      `127.0.0.1:${port}/library/python`,
      `localhost:${port}/library/python`,
      `[::ffff:127.0.0.1]:${port}/library/python`,
      '169.254.169.254/latest/meta-data',
      '10.0.0.1:5000/x',
    ]) {
      const refused = await failure(r.commandOf(image));
      expect(refused.code, image).toBe('REFUSED_HOST');
      expect(refused.message).toMatch(/KEELSON_REGISTRY_MIRRORS or KEELSON_ALLOW_PRIVATE_REGISTRY_HOSTS/);
    }
    // A mirror for one registry does not open its host for references to other registries' names.
    const mirrored = createImageConfigResolver({ mirrors: { 'ghcr.io': `http://${registry}` } });
    expect((await failure(mirrored.commandOf(`localhost:${port}/library/python`))).code).toBe('REFUSED_HOST');
    expect(f.requests).toEqual([]);

    const allowed = createImageConfigResolver({ allowPrivateHosts: true });
    expect((await allowed.commandOf(`localhost:${port}/library/python`)).cmd).toEqual(['python3']);
    expect(f.count('/manifests/')).toBe(1);
  });

  it('a token realm or redirect on a refused address is not followed (cloud metadata, another local port)', async () => {
    const other = await front();
    for (const realm of ['http://169.254.169.254/latest/token', `${other.origin}/token`]) {
      const f = await front({ auth: 'bearer', realm });
      const refused = await failure(createImageConfigResolver({ mirrors: mirrorOf(f.origin) }).commandOf('python'));
      expect(refused.code, realm).toBe('REFUSED_HOST');
    }
    const f = await front({ blobRedirect: 'http://169.254.169.254' });
    const r = createImageConfigResolver({ mirrors: mirrorOf(f.origin) });
    expect((await failure(r.commandOf('python'))).code).toBe('REFUSED_HOST');
    expect(other.requests).toEqual([]);
  });

  it('re-checks every redirect hop and drops credentials when a redirect leaves the registry', async () => {
    const storage = await front();
    const f = await front({
      auth: 'basic',
      user: { username: 'ci', password: 's3cret-pass' },
      blobRedirect: storage.origin,
    });
    const pullSecrets = [{ auths: { 'docker.io': { username: 'ci', password: 's3cret-pass' } } }];
    const refused = await failure(
      createImageConfigResolver({ mirrors: mirrorOf(f.origin) }).commandOf('alpine/git', { pullSecrets }),
    );
    expect(refused.code).toBe('REFUSED_HOST');
    expect(storage.requests).toEqual([]);

    const allowed = createImageConfigResolver({ mirrors: mirrorOf(f.origin), allowPrivateHosts: true });
    expect((await allowed.commandOf('alpine/git', { pullSecrets })).entrypoint).toEqual(['git']);
    expect(storage.requests.map((r) => [r.path.split('/')[4], r.authorization])).toEqual([['blobs', undefined]]);
  });
});

describe.skipIf(!realNode)('registry authentication (a token server in front of the real registry)', () => {
  const user = { username: 'robot$ci', password: 'pa55:word-never-shown' };
  const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');

  it('anonymous Bearer tokens: one token request, then manifests and config with the token', async () => {
    const f = await front({ auth: 'bearer' });
    const r = createImageConfigResolver({ mirrors: mirrorOf(f.origin) });
    expect((await r.commandOf('python')).cmd).toEqual(['python3']);
    const tokenRequests = f.requests.filter((q) => q.path.startsWith('/token'));
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0].path).toBe('/token?service=keelson-test&scope=repository%3Alibrary%2Fpython%3Apull');
    expect(tokenRequests[0].authorization).toBeUndefined();
    expect(
      f.requests.filter((q) => q.path.startsWith('/v2/') && q.authorization?.startsWith('Bearer tok-')),
    ).toHaveLength(2);
  });

  it('Bearer with imagePullSecrets credentials; none or wrong ones fail without showing them', async () => {
    const f = await front({ auth: 'bearer', user });
    const r = createImageConfigResolver({ mirrors: mirrorOf(f.origin) });
    const good = [{ auths: { 'https://index.docker.io/v1/': { auth } } }];
    expect((await r.commandOf('alpine/git', { pullSecrets: good })).entrypoint).toEqual(['git']);
    const token = f.requests.find((q) => q.path.startsWith('/token'));
    expect(token?.authorization).toBe(`Basic ${auth}`);

    const anonymous = await failure(r.commandOf('busybox'));
    expect(anonymous.code).toBe('UNAUTHORIZED');
    expect(anonymous.message).toMatch(/refused an anonymous token: add an imagePullSecret that can read it/);
    const wrong = [{ auths: { 'docker.io': { username: user.username, password: 'wrong-password-xyz' } } }];
    const refused = await failure(r.commandOf('busybox', { pullSecrets: wrong }));
    expect(refused.code).toBe('UNAUTHORIZED');
    for (const message of [anonymous.message, refused.message]) {
      expect(message).toContain('"busybox"');
      expect(message).not.toMatch(/pa55|wrong-password|robot|tok-|Basic /);
    }
    // Another secret for another registry does not leak to this one.
    const other = [{ auths: { 'ghcr.io': { auth } } }];
    expect((await failure(r.commandOf('bash', { pullSecrets: other }))).code).toBe('UNAUTHORIZED');
  });

  it('a Basic challenge is answered with the pull secret', async () => {
    const f = await front({ auth: 'basic', user });
    const r = createImageConfigResolver({ mirrors: mirrorOf(f.origin) });
    const { cmd } = await r.commandOf('bash', { pullSecrets: [{ auths: { 'docker.io': { auth } } }] });
    expect(cmd).toEqual(['bash']);
    expect(f.requests.filter((q) => q.authorization === `Basic ${auth}`)).toHaveLength(2);
  });
});
