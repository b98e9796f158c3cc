import { describe, expect, it } from 'vitest';
import { classifyAddress, parseCidr, plaintextAllowed, refuseRepoAddress, type RepoHostPolicy } from './repo-address';

const strict: RepoHostPolicy = { allowLocal: false, privateHosts: 'none' };

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['[fe80::1]', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd00::1', 'private'],
    ['fc00::1', 'private'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['ff02::1', 'reserved'],
    ['not-an-ip', 'reserved'],
    ['1.2.3.4.5', 'reserved'],
    ['256.0.0.1', 'reserved'],
    ['1:2:3:4:5:6:7:8:9', 'reserved'],
    ['172.32.0.1', 'public'],
    ['140.82.112.3', 'public'],
    ['2606:4700::1111', 'public'],
    ['::ffff:140.82.112.3', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('refuseRepoAddress', () => {
  it('refuses loopback, link-local and private addresses by default, naming the setting that allows them', () => {
    expect(refuseRepoAddress('localhost', '127.0.0.1', strict)?.message).toMatch(/loopback.*KEELSON_ALLOW_LOCAL_REPOS/);
    expect(refuseRepoAddress('169.254.169.254', '169.254.169.254', strict)?.message).toMatch(/link-local.*metadata/);
    expect(refuseRepoAddress('gitlab.corp', '10.0.0.5', strict)?.message).toMatch(
      /private.*KEELSON_ALLOW_PRIVATE_REPO_HOSTS/,
    );
    expect(refuseRepoAddress('github.com', '140.82.112.3', strict)).toBeNull();
  });

  it('allows private addresses by host name or CIDR, but never loopback through them', () => {
    const listed: RepoHostPolicy = { allowLocal: false, privateHosts: ['GitLab.corp.', '10.20.0.0/16'] };
    expect(refuseRepoAddress('gitlab.corp', '10.0.0.5', listed)).toBeNull();
    expect(refuseRepoAddress('other.corp', '10.20.3.4', listed)).toBeNull();
    expect(refuseRepoAddress('other.corp', '10.21.3.4', listed)?.kind).toBe('private');
    expect(refuseRepoAddress('gitlab.corp', '127.0.0.1', listed)?.kind).toBe('loopback');
    expect(refuseRepoAddress('x', '192.168.0.1', { allowLocal: false, privateHosts: 'all' })).toBeNull();
  });

  it('allows everything but reserved ranges with local repositories on', () => {
    const local: RepoHostPolicy = { allowLocal: true, privateHosts: 'none' };
    for (const a of ['127.0.0.1', '::1', '169.254.1.1', '10.0.0.1', '0.0.0.0'])
      expect(refuseRepoAddress('h', a, local)).toBeNull();
    expect(refuseRepoAddress('h', '224.0.0.1', local)?.kind).toBe('reserved');
  });
});

it('parses CIDR ranges strictly', () => {
  expect(parseCidr('10.0.0.0/8')).not.toBeNull();
  expect(parseCidr('fc00::/7')).not.toBeNull();
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/8/1', 'host/8', '::/129']) expect(parseCidr(bad)).toBeNull();
});

it('allows plain-text transports only to local or private servers', () => {
  expect(plaintextAllowed(['140.82.112.3'], strict)).toBe(false);
  expect(plaintextAllowed(['10.0.0.1'], strict)).toBe(true);
  expect(plaintextAllowed(['10.0.0.1', '140.82.112.3'], strict)).toBe(false);
  expect(plaintextAllowed(['140.82.112.3'], { allowLocal: true, privateHosts: 'none' })).toBe(true);
});
