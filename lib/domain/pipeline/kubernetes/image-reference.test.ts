import { describe, expect, it } from 'vitest';
import {
  authKeyMatches,
  formatImageReference,
  ImageReferenceError,
  manifestReferenceOf,
  parseImageReference,
} from './image-reference';
import { mirrorFor, MirrorsError, parseRegistryMirrors } from './image-reference-mirrors';

const SHA = `sha256:${'ab'.repeat(32)}`;

describe('parseImageReference (docker normalisation)', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['alpine/git', 'docker.io/alpine/git:latest'],
    ['alpine/git:v2.45.2', 'docker.io/alpine/git:v2.45.2'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0', 'ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['127.0.0.1:5000/x/y:tag', '127.0.0.1:5000/x/y:tag'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['[::1]:5000/app:1', '[::1]:5000/app:1'],
    ['Host.Example.com/app', 'host.example.com/app:latest'],
    ['my_org/a__b.c-d---e', 'docker.io/my_org/a__b.c-d---e:latest'],
    [`python@${SHA}`, `docker.io/library/python@${SHA}`],
    [`python:3.11@${SHA}`, `docker.io/library/python:3.11@${SHA}`],
    [' busybox ', 'docker.io/library/busybox:latest'],
  ])('%s -> %s', (input, expected) => {
    expect(formatImageReference(parseImageReference(input))).toBe(expected);
  });

  it('splits registry, repository, tag and digest', () => {
    expect(parseImageReference('host:5000/team/app:v1')).toEqual({
      registry: 'host:5000',
      repository: 'team/app',
      tag: 'v1',
    });
    const pinned = parseImageReference(`ghcr.io/a/b@${SHA}`);
    expect(pinned).toEqual({ registry: 'ghcr.io', repository: 'a/b', digest: SHA });
    expect(manifestReferenceOf(pinned)).toBe(SHA);
    expect(manifestReferenceOf(parseImageReference('a:b'))).toBe('b');
  });

  it('`localhost:5000` alone is docker.io/library/localhost with tag 5000, as docker reads it', () => {
    expect(parseImageReference('localhost:5000')).toEqual({
      registry: 'docker.io',
      repository: 'library/localhost',
      tag: '5000',
    });
  });

  it.each([
    ['', /empty/],
    ['Busybox', /lower case/],
    ['docker.io/Library/busybox', /lower case/],
    ['busybox:', /not a tag/],
    ['busybox:-x', /not a tag/],
    [`busybox:${'a'.repeat(129)}`, /not a tag/],
    ['busybox@sha256:abc', /not a digest/],
    [`busybox@md5:${'a'.repeat(32)}`, /not a digest/],
    [`busybox@sha256:${'A'.repeat(64)}`, /not a digest/],
    ['a//b', /lower-case letters and digits/],
    ['a/b/', /lower-case letters and digits/],
    ['-bad.host/x', /not a registry host/],
    ['ho st/x', /./],
    ['busybox;rm -rf', /./],
    [':tag', /no repository/],
    [`x.io/${'a'.repeat(300)}`, /longer than 255/],
  ])('refuses %j', (input, why) => {
    expect(() => parseImageReference(input)).toThrow(ImageReferenceError);
    expect(() => parseImageReference(input)).toThrow(why);
  });
});

describe('authKeyMatches (kubelet dockerconfigjson keys)', () => {
  const hub = parseImageReference('busybox');
  it.each([
    ['https://index.docker.io/v1/', hub, true],
    ['index.docker.io', hub, true],
    ['docker.io', hub, true],
    ['registry-1.docker.io', hub, true],
    ['ghcr.io', hub, false],
    ['ghcr.io', parseImageReference('ghcr.io/a/b'), true],
    ['https://ghcr.io', parseImageReference('ghcr.io/a/b'), true],
    ['ghcr.io/a', parseImageReference('ghcr.io/a/b'), true],
    ['ghcr.io/a', parseImageReference('ghcr.io/ab/c'), false],
    ['*.corp.example', parseImageReference('reg.corp.example/a'), true],
    ['*.corp.example', parseImageReference('x.reg.corp.example/a'), false],
    ['*.corp.example', parseImageReference('corp.example/a'), false],
    ['host:5000', parseImageReference('host:5000/a'), true],
    ['host', parseImageReference('host:5000/a'), false],
  ])('%s covers %j: %s', (key, ref, expected) => {
    expect(authKeyMatches(key, ref)).toBe(expected);
  });
});

describe('parseRegistryMirrors', () => {
  it('parses hosts and _default into origins, Docker Hub aliases as docker.io', () => {
    expect(parseRegistryMirrors('docker.io=http://127.0.0.1:5000, ghcr.io=https://m.corp.example/')).toEqual({
      'docker.io': 'http://127.0.0.1:5000',
      'ghcr.io': 'https://m.corp.example',
    });
    const mirrors = parseRegistryMirrors('_default=http://10.0.0.5:5000,registry.k8s.io=https://k8s.mirror');
    expect(mirrorFor(mirrors, 'registry.k8s.io')).toBe('https://k8s.mirror');
    expect(mirrorFor(mirrors, 'quay.io')).toBe('http://10.0.0.5:5000');
    expect(mirrorFor(parseRegistryMirrors(''), 'quay.io')).toBeUndefined();
  });

  it.each([
    ['docker.io', /registry=url/],
    ['docker.io=ftp://x', /http:\/\/ or https:\/\//],
    ['docker.io=http://x/v2/', /no path/],
    ['docker.io=http://u:p@x', /no path, user/],
    ['docker.io=nonsense', /not a URL/],
    ['docker.io=http://a,index.docker.io=http://b', /two mirrors/],
    ['bad host=http://a', /./],
    ['ghcr.io/org=http://a', /not a registry host/],
  ])('refuses %j', (text, why) => {
    expect(() => parseRegistryMirrors(text)).toThrow(MirrorsError);
    expect(() => parseRegistryMirrors(text)).toThrow(why);
  });
});
