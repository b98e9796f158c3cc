/**
 * Which network addresses the server may fetch a Git repository from. Pure: the adapter resolves
 * the host name and asks here about every address it got, before git connects.
 *
 * - loopback (127/8, ::1) and unspecified (0/8, ::, which Linux routes to loopback) need
 *   KEELSON_ALLOW_LOCAL_REPOS (development and tests);
 * - link-local (169.254/16 with cloud metadata, fe80::/10) needs it too;
 * - private (10/8, 172.16/12, 192.168/16, 100.64/10, 198.18/15, fc00::/7, fec0::/10, 64:ff9b:1::/48,
 *   2001:2::/48) needs the private-host setting: all of them, or only the listed host names or CIDR ranges; plain
 *   http:// and git:// only to them, never to the benchmarking ranges (fake-IP DNS proxies hand those out);
 * - multicast, broadcast and reserved ranges (192.0.0/24, the TEST-NETs, 192.88.99/24, 100::/64, 2001:db8::/32,
 *   3fff::/20) are never fetched from.
 * IPv4 addresses embedded in IPv6 (::ffff:a.b.c.d, ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16)
 * are judged by the IPv4 address.
 */

export type AddressClass = 'loopback' | 'unspecified' | 'link-local' | 'private' | 'reserved' | 'public';

/** `all`, `none`, or host names and CIDR ranges (`gitlab.corp.example`, `10.20.0.0/16`). */
export type PrivateHosts = 'all' | 'none' | readonly string[];

export interface RepoHostPolicy {
  /** KEELSON_ALLOW_LOCAL_REPOS: loopback, link-local and file:// repositories. Implies private hosts. */
  allowLocal: boolean;
  privateHosts: PrivateHosts;
}

interface Ip {
  version: 4 | 6;
  value: bigint;
}

function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(text: string): bigint | null {
  let head = text;
  let tail: bigint[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(head);
  if (v4) {
    const value = parseV4(v4[1]);
    if (value === null) return null;
    tail = [value >> 16n, value & 0xffffn];
    head = `${head.slice(0, v4.index)}:0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const group = (s: string) => (s === '' ? [] : s.split(':'));
  const left = group(halves[0]);
  const right = halves.length === 2 ? group(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const words = groups.map((g) => BigInt(parseInt(g, 16)));
  if (tail.length) words.splice(6, 2, ...tail);
  return words.reduce((acc, w) => (acc << 16n) | w, 0n);
}

/** An IPv4 dotted quad or an IPv6 address (brackets and a zone id are ignored); null otherwise. */
export function parseIp(text: string): Ip | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const v4 = parseV4(bare);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = bare.includes(':') ? parseV6(bare) : null;
  return v6 === null ? null : { version: 6, value: v6 };
}

interface Range {
  version: 4 | 6;
  base: bigint;
  bits: number;
}

/** `10.0.0.0/8` or `fc00::/7`; null when malformed. */
export function parseCidr(text: string): Range | null {
  const [addr, len, extra] = text.split('/');
  const ip = parseIp(addr);
  const bits = Number(len);
  if (!ip || extra !== undefined || !/^\d{1,3}$/.test(len ?? '') || bits > (ip.version === 4 ? 32 : 128)) return null;
  return { version: ip.version, base: ip.value, bits };
}

function inRange(ip: Ip, range: Range): boolean {
  if (ip.version !== range.version) return false;
  const width = BigInt(ip.version === 4 ? 32 : 128);
  const shift = width - BigInt(range.bits);
  return ip.value >> shift === range.base >> shift;
}

const ranges = (list: [string, AddressClass][]) => list.map(([cidr, kind]) => ({ range: parseCidr(cidr)!, kind }));

const V4_CLASSES = ranges([
  ['0.0.0.0/8', 'unspecified'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'private'],
  // Benchmarking (RFC 2544): not routed on the internet, but used inside some networks as private space.
  ['198.18.0.0/15', 'private'],
  // IETF protocol assignments (RFC 6890: DS-Lite, NAT64 discovery…), TEST-NETs (RFC 5737), the deprecated 6to4
  // relay anycast (RFC 7526): no Git server lives there.
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['224.0.0.0/4', 'reserved'],
  ['240.0.0.0/4', 'reserved'],
]);

const V6_CLASSES = ranges([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fe80::/10', 'link-local'],
  ['fc00::/7', 'private'],
  ['fec0::/10', 'private'],
  // Local-use NAT64 (RFC 8215): reaches IPv4 hosts of this network, whichever; benchmarking (RFC 5180), as 198.18/15.
  ['64:ff9b:1::/48', 'private'],
  ['2001:2::/48', 'private'],
  ['ff00::/8', 'reserved'],
  // Discard-only (RFC 6666) and documentation (RFC 3849) prefixes.
  ['100::/64', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  ['3fff::/20', 'reserved'],
]);

/** IPv6 prefixes that carry an IPv4 address, and where it sits (bits from the right). */
const V4_IN_V6 = ranges([
  ['::ffff:0:0/96', 'public'],
  ['::/96', 'public'],
  ['64:ff9b::/96', 'public'],
]);

function embeddedV4(ip: Ip): Ip | null {
  if (ip.version !== 6) return null;
  if (V4_IN_V6.some(({ range }) => inRange(ip, range)) && ip.value > 1n)
    return { version: 4, value: ip.value & 0xffffffffn };
  if (inRange(ip, parseCidr('2002::/16')!)) return { version: 4, value: (ip.value >> 80n) & 0xffffffffn };
  return null;
}

/** The class of an IP address; `reserved` for anything that does not parse. */
export function classifyAddress(text: string): AddressClass {
  const ip = parseIp(text);
  if (!ip) return 'reserved';
  const inner = embeddedV4(ip);
  if (inner) return classifyAddress(formatV4(inner.value));
  const table = ip.version === 4 ? V4_CLASSES : V6_CLASSES;
  return (
    table.find(({ range }) => inRange(ip, range))?.kind ??
    (ip.version === 4 && ip.value === 0xffffffffn ? 'reserved' : 'public')
  );
}

const formatV4 = (v: bigint) => [24n, 16n, 8n, 0n].map((s) => Number((v >> s) & 0xffn)).join('.');

const bareHost = (host: string) => host.toLowerCase().replace(/\.$/, '');

function privateAllowed(host: string, address: string, hosts: PrivateHosts): boolean {
  if (hosts === 'all') return true;
  if (hosts === 'none') return false;
  const ip = parseIp(address);
  return hosts.some((entry) => {
    const range = entry.includes('/') ? parseCidr(entry) : null;
    return range ? ip !== null && inRange(ip, range) : bareHost(entry) === bareHost(host);
  });
}

const DESCRIBE: Record<AddressClass, string> = {
  loopback: 'a loopback address',
  unspecified: 'an unspecified address (0.0.0.0 or ::, which reach this host)',
  'link-local': 'a link-local address (where cloud metadata services live)',
  private: 'a private-network address',
  reserved: 'a multicast, broadcast or reserved address',
  public: 'a public address',
};

export interface AddressRefusal {
  kind: AddressClass;
  /** What is wrong and how to allow it, without the address itself. */
  message: string;
}

/** Why the server must not connect to `address` (which `host` resolved to), or null when it may. */
export function refuseRepoAddress(host: string, address: string, policy: RepoHostPolicy): AddressRefusal | null {
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  if (kind === 'private' && (policy.allowLocal || privateAllowed(host, address, policy.privateHosts))) return null;
  if ((kind === 'loopback' || kind === 'unspecified' || kind === 'link-local') && policy.allowLocal) return null;
  const fix =
    kind === 'private'
      ? 'a Git server on a private network needs KEELSON_ALLOW_PRIVATE_REPO_HOSTS (its host name, a CIDR range, or true)'
      : kind === 'reserved'
        ? 'no Git server can live there'
        : 'this host and its link-local network are reachable only with KEELSON_ALLOW_LOCAL_REPOS=true (development and tests)';
  return { kind, message: `${host} resolves to ${DESCRIBE[kind]}, which Keelson does not fetch from: ${fix}` };
}

/**
 * Plain-text transports (http://, git://) carry credentials and content unencrypted: allowed only
 * for local repositories or servers on an allowed private network, never across the internet.
 */
export function plaintextAllowed(addresses: readonly string[], policy: RepoHostPolicy): boolean {
  return (
    policy.allowLocal ||
    (addresses.length > 0 && addresses.every((a) => classifyAddress(a) === 'private' && !isBenchmarking(a)))
  );
}

/**
 * The benchmarking ranges count as private for fetching, but not for plain text: "fake-IP" DNS proxies answer every
 * name with an address from 198.18/15, so such an address may stand for a server anywhere on the internet.
 */
const BENCHMARKING = ['198.18.0.0/15', '2001:2::/48'].map((c) => parseCidr(c)!);
function isBenchmarking(address: string): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  const inner = embeddedV4(ip) ?? ip;
  return BENCHMARKING.some((range) => inRange(inner, range));
}
