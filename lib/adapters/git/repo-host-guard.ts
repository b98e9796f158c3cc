/**
 * Server-side request guard for remote repository URLs. Before every fetch (and at registration),
 * the URL's host is resolved here and each address is checked against the policy (see
 * lib/domain/gitops/repo-address.ts). The addresses checked are the ones git then uses: http(s) via
 * curl's resolve pin (`http.curloptResolve`), ssh via `-o HostName=<address>`, git:// by connecting
 * to the address itself. So a name that resolves differently a moment later (DNS rebinding) still
 * reaches only the checked address.
 */
import { lookup } from 'node:dns/promises';
import { plaintextAllowed, refuseRepoAddress, type RepoHostPolicy } from '@/lib/domain/gitops/repo-address';
import { RepoError } from './repo-error';
import { displayRepoUrl } from './repo-url';

export type RemoteScheme = 'http' | 'https' | 'ssh' | 'git';

/** A remote URL whose addresses passed the policy, and how to make git use exactly those. */
export interface RemoteTarget {
  scheme: RemoteScheme;
  /** Host as git and curl will see it (lower case, IPv6 without brackets). */
  host: string;
  port: number;
  /** Every address the host resolved to; all passed the policy. */
  addresses: string[];
  /** The URL to hand to git (http(s) in WHATWG form, git:// pointing at the address). */
  gitUrl: string;
}

const DEFAULT_PORT: Record<RemoteScheme, number> = { http: 80, https: 443, ssh: 22, git: 9418 };
const isRemoteScheme = (scheme: string): scheme is RemoteScheme => Object.hasOwn(DEFAULT_PORT, scheme);
const SCP_LIKE = /^(?:[A-Za-z0-9._~-]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;
const LOOKUP_TIMEOUT_MS = 10_000;

const bracket = (address: string) => (address.includes(':') ? `[${address}]` : address);
const isIpLiteral = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');

function parseRemote(url: string): Omit<RemoteTarget, 'addresses' | 'gitUrl'> & { parsed?: URL } {
  const invalid = () =>
    new RepoError(
      'INVALID_URL',
      `"${displayRepoUrl(url)}" is not a git URL: use https://, ssh:// or git@host:org/repo`,
    );
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (!scheme) {
    const scp = SCP_LIKE.exec(url);
    if (!scp || scp[1].startsWith('-')) throw invalid();
    return { scheme: 'ssh', host: scp[1].toLowerCase().replace(/\.$/, ''), port: 22 };
  }
  if (!isRemoteScheme(scheme)) throw invalid();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid();
  }
  // WHATWG parses http(s) hosts as curl does (2130706433, 0x7f.1 and 127.1 are 127.0.0.1).
  // `host.` is the same name as `host`: one spelling for the check, the pin and git.
  const host = parsed.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.$/, '');
  if (!host || host.startsWith('-') || !/^[a-z0-9.:_-]+$/.test(host)) throw invalid();
  if (parsed.hostname.endsWith('.') && (scheme === 'http' || scheme === 'https')) parsed.hostname = host;
  return { scheme, host, port: parsed.port ? Number(parsed.port) : DEFAULT_PORT[scheme], parsed };
}

async function resolveHost(host: string, where: string): Promise<string[]> {
  const unreachable = () =>
    new RepoError('UNREACHABLE', `repository ${where} cannot be reached: its host name does not resolve`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unreachable()), LOOKUP_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    const addresses = [...new Set(found.map((a) => a.address))];
    if (addresses.length === 0) throw unreachable();
    return addresses;
  } catch (error) {
    throw error instanceof RepoError ? error : unreachable();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves a remote URL's host and checks every address; throws a RepoError (INVALID_URL,
 * UNREACHABLE, REFUSED_ADDRESS) that never says more than the category of the address.
 */
export async function guardRemoteUrl(input: string, policy: RepoHostPolicy): Promise<RemoteTarget> {
  const url = input.trim();
  const where = displayRepoUrl(url);
  const { scheme, host, port, parsed } = parseRemote(url);
  const addresses = await resolveHost(host, where);
  for (const address of addresses) {
    const refusal = refuseRepoAddress(host, address, policy);
    if (refusal) throw new RepoError('REFUSED_ADDRESS', `repository ${where} refused: ${refusal.message}`);
  }
  if ((scheme === 'http' || scheme === 'git') && !plaintextAllowed(addresses, policy)) {
    throw new RepoError(
      'REFUSED_ADDRESS',
      `repository ${where} refused: ${scheme}:// sends credentials and content unencrypted across the internet; use https:// or ssh://`,
    );
  }
  let gitUrl = url;
  if (parsed && (scheme === 'http' || scheme === 'https')) gitUrl = parsed.href;
  if (parsed && scheme === 'git') gitUrl = `git://${bracket(addresses[0])}:${port}${parsed.pathname}`;
  return { scheme, host, port, addresses, gitUrl };
}

/** git `-c` settings that make this command reach only the checked addresses. */
export function pinConfig(target: RemoteTarget): string[] {
  if ((target.scheme !== 'http' && target.scheme !== 'https') || isIpLiteral(target.host)) return [];
  return [`http.curloptResolve=${target.host}:${target.port}:${target.addresses.map(bracket).join(',')}`];
}
