/**
 * Which addresses image config lookups may connect to. The image reference comes from a user's YAML
 * and makes the worker send requests, so (as for Git repositories, see lib/domain/gitops/repo-address.ts)
 * loopback, link-local (cloud metadata), private and reserved addresses are refused unless the host is a
 * configured mirror or KEELSON_ALLOW_PRIVATE_REGISTRY_HOSTS allows it. The check runs inside the socket's
 * DNS lookup, so the address connected is the address checked (no DNS rebinding between check and use),
 * and again on the connected socket's remote address.
 */
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { classifyAddress, parseCidr, parseIp, type AddressClass } from '@/lib/domain/gitops/repo-address';

/** `true`: every address (development, tests); host names and CIDR ranges: those private ones; `false`: none. */
export type PrivateRegistryHosts = boolean | readonly string[];

const DESCRIBE: Record<AddressClass, string> = {
  loopback: 'a loopback address',
  unspecified: 'an unspecified address (which reaches this host)',
  'link-local': 'a link-local address (where cloud metadata services live)',
  private: 'a private-network address',
  reserved: 'a multicast, broadcast or reserved address',
  public: 'a public address',
};

function inCidr(address: string, cidr: string): boolean {
  const range = parseCidr(cidr);
  const ip = parseIp(address);
  if (!range || !ip || ip.version !== range.version) return false;
  const shift = BigInt((ip.version === 4 ? 32 : 128) - range.bits);
  return ip.value >> shift === range.base >> shift;
}

/** Why `host` (resolved to `address`) must not be contacted, or null when it may. `anyAddress`: a mirror. */
export function registryAddressRefusal(
  host: string,
  address: string,
  allow: PrivateRegistryHosts,
  anyAddress = false,
): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public' || anyAddress) return null;
  if (kind !== 'reserved' && allow === true) return null;
  const bare = host.toLowerCase().replace(/\.$/, '');
  if (kind === 'private' && Array.isArray(allow)) {
    const listed = (allow as readonly string[]).some((e) => (e.includes('/') ? inCidr(address, e) : e === bare));
    if (listed) return null;
  }
  const fix =
    kind === 'reserved'
      ? 'no registry can live there'
      : 'use a public registry, or name this one in KEELSON_REGISTRY_MIRRORS or KEELSON_ALLOW_PRIVATE_REGISTRY_HOSTS';
  return `the registry host ${bare} resolves to ${DESCRIBE[kind]}, which Keelson does not fetch images from: ${fix}`;
}

export class RefusedHostError extends Error {}

/** A socket lookup that resolves `hostname` and passes on only addresses the policy allows (all must pass). */
export function guardedLookup(allow: PrivateRegistryHosts, anyAddress: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true, family: options.family }, (error, found) => {
      if (error) return callback(error, '', 0);
      const list = found.filter((a) => a.family === 4 || a.family === 6);
      if (list.length === 0) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
      for (const { address } of list) {
        const refusal = registryAddressRefusal(hostname, address, allow, anyAddress);
        if (refusal) return callback(new RefusedHostError(refusal), '', 0);
      }
      if (options.all) return (callback as (e: null, a: typeof list) => void)(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

/** Refusal for a host that is an IP literal (sockets skip the lookup for those), or null. */
export function literalRefusal(host: string, allow: PrivateRegistryHosts, anyAddress: boolean): string | null {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? registryAddressRefusal(bare, bare, allow, anyAddress) : null;
}

/** Destroys a freshly connected socket whose remote address the policy refuses (defence in depth). */
export function checkConnectedSocket(socket: Socket, host: string, allow: PrivateRegistryHosts, anyAddress: boolean) {
  if (!socket.connecting) return;
  socket.once('connect', () => {
    const refusal = registryAddressRefusal(host, socket.remoteAddress ?? '', allow, anyAddress);
    if (refusal) socket.destroy(new RefusedHostError(refusal));
  });
}
