import { describe, expect, it } from 'vitest';
import { parseImageConfig, parseManifest, pickPlatform, platformsOf } from './image-manifest';
import { credentialsFor, parseChallenge, parseTokenAnswer, tokenUrl } from './registry-auth';
import { registryAddressRefusal } from './registry-host-guard';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('parseChallenge / tokenUrl', () => {
  it('reads a Bearer challenge and builds the token URL', () => {
    const c = parseChallenge(
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"',
    );
    expect(c).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull' },
    });
    expect(tokenUrl(c!, 'repository:x:pull')?.href).toBe(
      'https://auth.example/token?service=registry.example&scope=repository%3Aa%2Fb%3Apull',
    );
    expect(parseChallenge('Basic realm="x"')?.scheme).toBe('basic');
    expect(parseChallenge(undefined)).toBeNull();
    expect(tokenUrl({ scheme: 'bearer', params: { realm: 'file:///etc/passwd' } }, 's')).toBeNull();
    expect(tokenUrl({ scheme: 'bearer', params: {} }, 's')).toBeNull();
  });

  it('reads token answers (token or access_token), refusing junk', () => {
    expect(parseTokenAnswer(json({ token: 't', expires_in: 300 }))).toEqual({ token: 't', expiresInS: 300 });
    expect(parseTokenAnswer(json({ access_token: 'a' }))).toEqual({ token: 'a', expiresInS: 60 });
    expect(parseTokenAnswer(Buffer.from('<html>'))).toBeNull();
    expect(parseTokenAnswer(json({ token: 42 }))).toBeNull();
  });
});

describe('credentialsFor (imagePullSecrets)', () => {
  const ref = { registry: 'ghcr.io', repository: 'org/app' };
  it('decodes auth or username/password, the most specific key winning', () => {
    const auth = Buffer.from('u:p:with:colons').toString('base64');
    expect(credentialsFor([{ auths: { 'ghcr.io': { auth } } }], ref)).toEqual({
      username: 'u',
      password: 'p:with:colons',
    });
    const secrets = [
      { auths: { 'ghcr.io': { username: 'host', password: '1' } } },
      { auths: { 'ghcr.io/org': { username: 'org', password: '2' } } },
    ];
    expect(credentialsFor(secrets, ref)?.username).toBe('org');
    expect(credentialsFor(secrets, { registry: 'docker.io', repository: 'library/x' })).toBeNull();
    expect(
      credentialsFor([{ auths: { 'mirror:5000': { username: 'm', password: 'x' } } }], ref, 'mirror:5000')?.username,
    ).toBe('m');
    expect(
      credentialsFor([{ auths: null } as never, {} as never, { auths: { 'ghcr.io': null } } as never], ref),
    ).toBeNull();
  });
});

describe('manifests and configs', () => {
  it('parses an index and picks linux/amd64, skipping attestations', () => {
    const index = parseManifest(
      json({
        schemaVersion: 2,
        manifests: [
          { digest: D('a'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
          { digest: D('b'), platform: { os: 'unknown', architecture: 'unknown' } },
          { digest: D('c'), platform: { os: 'linux', architecture: 'amd64' } },
          { digest: 'sha256:bad', platform: { os: 'linux', architecture: 'amd64' } },
        ],
      }),
      'application/vnd.docker.distribution.manifest.list.v2+json',
    );
    expect(index.kind).toBe('index');
    if (index.kind !== 'index') return;
    expect(pickPlatform(index.manifests)).toBe(D('c'));
    expect(pickPlatform(index.manifests.slice(0, 2))).toBeNull();
    expect(platformsOf(index.manifests.slice(0, 2))).toBe('linux/arm64/v8');
  });

  it('parses a manifest config digest; refuses schema 1, non-JSON and missing configs', () => {
    expect(parseManifest(json({ schemaVersion: 2, config: { digest: D('e'), size: 10 } }), undefined)).toEqual({
      kind: 'manifest',
      configDigest: D('e'),
      configSize: 10,
    });
    expect(() => parseManifest(json({ schemaVersion: 1 }), undefined)).toThrow(/schema 1/);
    expect(() => parseManifest(Buffer.from('nope'), undefined)).toThrow(/not JSON/);
    expect(() => parseManifest(json({ schemaVersion: 2, config: { digest: 'sha256:x' } }), undefined)).toThrow(
      /no sha256 config/,
    );
  });

  it('reads Entrypoint/Cmd, null or missing as empty', () => {
    expect(parseImageConfig(json({ config: { Entrypoint: ['git'], Cmd: null } }))).toEqual({
      entrypoint: ['git'],
      cmd: [],
    });
    expect(parseImageConfig(json({}))).toEqual({ entrypoint: [], cmd: [] });
    expect(() => parseImageConfig(json({ config: { Cmd: 'sh' } }))).toThrow(/not a list of strings/);
  });
});

describe('registryAddressRefusal', () => {
  it.each([
    ['127.0.0.1', false, /loopback/],
    ['::1', false, /loopback/],
    ['169.254.169.254', false, /link-local/],
    ['10.1.2.3', false, /private-network/],
    ['::ffff:10.1.2.3', false, /private-network/],
    ['0.0.0.0', false, /unspecified/],
    ['224.0.0.1', true, /reserved/],
  ])('%s refused (allow=%s)', (address, allow, why) => {
    expect(registryAddressRefusal('reg.example', address, allow)).toMatch(why);
  });

  it('allows public addresses, mirrors, `true`, and listed private hosts or ranges only', () => {
    expect(registryAddressRefusal('reg.example', '8.8.8.8', false)).toBeNull();
    expect(registryAddressRefusal('m', '127.0.0.1', false, true)).toBeNull();
    expect(registryAddressRefusal('reg.example', '127.0.0.1', true)).toBeNull();
    expect(registryAddressRefusal('harbor.corp', '10.1.2.3', ['harbor.corp'])).toBeNull();
    expect(registryAddressRefusal('x.corp', '10.1.2.3', ['10.1.0.0/16'])).toBeNull();
    expect(registryAddressRefusal('x.corp', '10.2.2.3', ['10.1.0.0/16'])).toMatch(/private-network/);
    expect(registryAddressRefusal('harbor.corp', '127.0.0.1', ['harbor.corp'])).toMatch(/loopback/);
  });
});
