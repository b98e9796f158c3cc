import { describe, expect, it } from 'vitest';
import { rowsByExpected } from '@/tests/fixtures/rows-by-expected';
import { classifyAddress, parseCidr, plaintextAllowed, refuseRepoAddress, type RepoHostPolicy } from './repo-address';

const strict: RepoHostPolicy = { allowLocal: false, privateHosts: 'none' };

describe('classifyAddress', () => {
  const kinds = {
    loopback: [
      '127.0.0.1',
      '127.255.0.9',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
    ],
    unspecified: ['0.0.0.0', '::'],
    'link-local': ['169.254.169.254', 'fe80::1%eth0', '[fe80::1]', '::ffff:169.254.169.254'],
    private: [
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '198.18.0.1',
      '198.19.255.254',
      '64:ff9b:1::a00:1',
      '2001:2::1',
      'fd00::1',
      'fc00::1',
    ],
    reserved: [
      '224.0.0.1',
      '255.255.255.255',
      'ff02::1',
      'not-an-ip',
      '1.2.3.4.5',
      '256.0.0.1',
      '1:2:3:4:5:6:7:8:9',
      '192.0.0.170',
      '192.0.2.10',
      '198.51.100.7',
      '203.0.113.9',
      '192.88.99.1',
      '100::1',
      '2001:db8::1',
      '3fff::1',
      '::ffff:192.0.2.10',
    ],
    public: ['172.32.0.1', '140.82.112.3', '2606:4700::1111', '::ffff:140.82.112.3'],
  };
  it.each(rowsByExpected(kinds))('%s is %s', (address, kind) => expect(classifyAddress(address)).toBe(kind));
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

it('never allows plain text to the benchmarking ranges, where fake-IP DNS proxies put every internet host', () => {
  const allPrivate: RepoHostPolicy = { allowLocal: false, privateHosts: 'all' };
  expect(refuseRepoAddress('git.example', '198.18.0.5', allPrivate)).toBeNull(); // fetched over https: allowed
  for (const address of ['198.18.0.5', '198.19.1.1', '::ffff:198.18.0.5', '2001:2::5'])
    expect(plaintextAllowed([address], allPrivate)).toBe(false);
  expect(plaintextAllowed(['10.0.0.1'], allPrivate)).toBe(true);
});
