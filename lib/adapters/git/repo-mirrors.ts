/**
 * One bare mirror per repository under `cacheDir/mirrors/<hash of normalized url>`, fetched
 * on demand. Concurrent fetches of one repository share one run (see coalesce.ts). Full
 * trees are checked out once per commit under `cacheDir/checkouts/<sha>` and then only read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readlink, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createKeyedCoalescer } from './coalesce';
import type { PrivateHosts, RepoHostPolicy } from '@/lib/domain/gitops/repo-address';
import { fetchError } from './git-errors';
import { createGitRunner, GitCommandError, type RepoCredentials } from './git-runner';
import { RepoError } from './repo-error';
import { guardRemoteUrl, type RemoteTarget } from './repo-host-guard';
import { classifyRepoUrl, displayRepoUrl, normalizeRepoUrl } from './repo-url';

export interface RepoRef {
  url: string;
  credentials?: RepoCredentials;
}

export interface CommitInfo {
  sha: string;
  message: string;
  author: string;
  authorEmail: string;
  /** ISO 8601 author date. */
  date: string;
}

export interface RepoMirrorsOptions {
  cacheDir: string;
  /** Accept file:// URLs and local paths, and hosts on loopback and link-local addresses (KEELSON_ALLOW_LOCAL_REPOS). */
  allowLocal: boolean;
  /** Private-network hosts fetched from (KEELSON_ALLOW_PRIVATE_REPO_HOSTS); default `all` with allowLocal, else `none`. */
  privateHosts?: PrivateHosts;
  /** Kill a git command that stays silent this long (default 120 s). */
  timeoutMs?: number;
  /** Called once per network fetch, with the normalized URL (for tests and metrics). */
  onFetch?: (normalizedUrl: string) => void;
}

export interface RepoMirrors {
  /**
   * Commit SHA for a branch, tag, full or short SHA, or HEAD (also for an empty revision).
   * Fetches first, unless the revision is a full SHA the mirror has, or the last fetch of this
   * repository started less than `maxAgeMs` ago (default 0: always fetch).
   */
  resolveRevision(repo: RepoRef, targetRevision: string, opts?: { maxAgeMs?: number }): Promise<string>;
  /** Absolute folder holding `subPath` of the tree at `sha`; treat it as read-only. */
  readTree(repo: RepoRef, sha: string, subPath: string): Promise<string>;
  commitInfo(repo: RepoRef, sha: string): Promise<CommitInfo>;
  /** The folder of a repository's bare mirror (exists after the first resolve). */
  mirrorDir(url: string): string;
  /**
   * Refuses (RepoError) a URL this server must not fetch: invalid, local when not allowed, or a host
   * resolving to a refused address. Every fetch checks again (DNS answers change).
   */
  checkUrl(url: string): Promise<void>;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;
const SHORT_SHA = /^[0-9a-f]{4,40}$/i;
const HEAD_REF = 'refs/keelson/HEAD';
const REFSPECS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Roughly git's check-ref-format, plus no option-like names. */
function isSafeRevision(rev: string): boolean {
  return !rev.startsWith('-') && !rev.includes('..') && !/[\s\0~^:?*[\\]|@\{/.test(rev) && rev.length <= 255;
}

/** Whether `relative` (a path in `tree`) leads outside `tree` when its symlinks are followed. */
export async function escapesTree(tree: string, relative: string): Promise<boolean> {
  let pending = relative.split('/');
  let current = tree;
  for (let hops = 0; pending.length > 0;) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (current === tree) return true;
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    const info = await lstat(next).catch(() => null);
    if (info?.isSymbolicLink()) {
      const target = await readlink(next);
      if (path.isAbsolute(target) || ++hops > 40) return true;
      pending = [...target.split('/'), ...pending];
      continue;
    }
    current = next;
  }
  return false;
}

export function createRepoMirrors(options: RepoMirrorsOptions): RepoMirrors {
  const cacheDir = path.resolve(options.cacheDir);
  const git = createGitRunner({
    stateDir: cacheDir,
    allowLocal: options.allowLocal,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  const policy: RepoHostPolicy = {
    allowLocal: options.allowLocal,
    privateHosts: options.privateHosts ?? (options.allowLocal ? 'all' : 'none'),
  };
  const coalesce = createKeyedCoalescer<void>();
  const checkoutsInFlight = new Map<string, Promise<string>>();
  const lastFetchStart = new Map<string, number>();
  /**
   * What `git rev-parse` said since the mirror's last fetch (per mirror, cleared by each fetch), and the full SHAs
   * known to be commits of a mirror (a commit never leaves it): a thousand apps on one repository then cost no
   * git process per compare, only per fetch.
   */
  const refsSinceFetch = new Map<string, { generation: number; shas: Map<string, string | null> }>();
  const knownCommits = new Set<string>();
  const refsOf = (dir: string) => {
    let refs = refsSinceFetch.get(dir);
    if (!refs) refsSinceFetch.set(dir, (refs = { generation: 0, shas: new Map() }));
    return refs;
  };
  let ready: Promise<unknown> | null = null;
  const ensureDirs = () =>
    (ready ??= Promise.all([
      mkdir(path.join(cacheDir, 'mirrors'), { recursive: true }),
      mkdir(path.join(cacheDir, 'checkouts'), { recursive: true }),
    ]));

  function checkUrl(url: string): string {
    const kind = classifyRepoUrl(url);
    if (kind === 'invalid')
      throw new RepoError(
        'INVALID_URL',
        `"${displayRepoUrl(url)}" is not a git URL: use https://, ssh:// or git@host:org/repo`,
      );
    if (kind === 'local' && !options.allowLocal) {
      throw new RepoError(
        'LOCAL_NOT_ALLOWED',
        `local repository ${displayRepoUrl(url)} refused: file:// URLs and paths need KEELSON_ALLOW_LOCAL_REPOS=true`,
      );
    }
    return url.trim();
  }

  /** What git may talk to for `url`: the checked remote, or 'local' (already allowed by checkUrl). */
  async function guard(url: string): Promise<RemoteTarget | 'local'> {
    return classifyRepoUrl(checkUrl(url)) === 'local' ? 'local' : guardRemoteUrl(url, policy);
  }

  const mirrorDir = (url: string) =>
    path.join(cacheDir, 'mirrors', createHash('sha256').update(normalizeRepoUrl(url)).digest('hex').slice(0, 24));

  async function ensureMirror(dir: string): Promise<void> {
    await ensureDirs();
    if (await exists(path.join(dir, 'HEAD'))) return;
    const tmp = `${dir}.init-${randomBytes(4).toString('hex')}`;
    await git.run(cacheDir, ['init', '--bare', '--quiet', tmp]);
    await rename(tmp, dir).catch(async (error: unknown) => {
      await rm(tmp, { recursive: true, force: true });
      if (!(await exists(path.join(dir, 'HEAD')))) throw error;
    });
  }

  async function fetchMirror(repo: RepoRef, url: string, dir: string): Promise<void> {
    const remote = await guard(url);
    await ensureMirror(dir);
    const startedAt = Date.now();
    options.onFetch?.(normalizeRepoUrl(url));
    const args = [
      'fetch',
      '--quiet',
      '--prune',
      '--force',
      '--no-tags',
      '--',
      remote === 'local' ? url : remote.gitUrl,
    ];
    const opts = { credentials: repo.credentials, remote };
    try {
      await git.run(dir, [...args, ...REFSPECS, `+HEAD:${HEAD_REF}`], opts);
    } catch (error) {
      // An empty repository, or one whose HEAD names a missing branch, has no HEAD to fetch.
      if (!(error instanceof GitCommandError) || !/couldn't find remote ref HEAD/i.test(error.stderr))
        throw fetchError(url, error);
      try {
        await git.run(dir, [...args, ...REFSPECS], opts);
        await git.run(dir, ['update-ref', '-d', HEAD_REF]);
      } catch (retryError) {
        throw fetchError(url, retryError);
      }
    }
    lastFetchStart.set(dir, startedAt);
    const refs = refsOf(dir);
    refs.generation++;
    refs.shas.clear();
  }

  async function revParse(dir: string, ref: string): Promise<string | null> {
    try {
      return (
        (await git.run(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim() || null
      );
    } catch {
      return null;
    }
  }

  /** `lookupUncached`, remembered until the mirror's next fetch. */
  async function lookup(dir: string, rev: string): Promise<string | null> {
    const refs = refsOf(dir);
    if (refs.shas.has(rev)) return refs.shas.get(rev) ?? null;
    const generation = refs.generation;
    const sha = await lookupUncached(dir, rev);
    // A fetch that ended meanwhile may have moved the ref: that answer is not kept.
    if (refs.generation === generation) refs.shas.set(rev, sha);
    return sha;
  }

  /** `rev-parse` of a full SHA as a commit of the mirror, once per SHA: a commit never leaves the mirror. */
  async function knownSha(dir: string, sha: string): Promise<string | null> {
    const key = `${dir}\0${sha.toLowerCase()}`;
    if (knownCommits.has(key)) return sha.toLowerCase();
    const full = await revParse(dir, sha);
    if (full) {
      if (knownCommits.size >= 100_000) knownCommits.clear();
      knownCommits.add(key);
    }
    return full;
  }

  async function lookupUncached(dir: string, rev: string): Promise<string | null> {
    if (rev === 'HEAD') return revParse(dir, HEAD_REF);
    if (rev.startsWith('refs/')) return revParse(dir, rev);
    for (const ref of [`refs/heads/${rev}`, `refs/tags/${rev}`]) {
      const sha = await revParse(dir, ref);
      if (sha) return sha;
    }
    if (!SHORT_SHA.test(rev)) return null;
    const sha = await revParse(dir, rev);
    return sha && sha.startsWith(rev.toLowerCase()) ? sha : null;
  }

  async function resolveRevision(
    repo: RepoRef,
    targetRevision: string,
    opts: { maxAgeMs?: number } = {},
  ): Promise<string> {
    const url = checkUrl(repo.url);
    const dir = mirrorDir(url);
    const rev = targetRevision.trim() || 'HEAD';
    const notFound = () => new RepoError('REVISION_NOT_FOUND', `revision ${rev} not found in ${displayRepoUrl(url)}`);
    if (!isSafeRevision(rev)) throw notFound();
    // A full SHA never moves: no fetch when the mirror already has it.
    if (FULL_SHA.test(rev) && (await exists(path.join(dir, 'HEAD')))) {
      const sha = await knownSha(dir, rev);
      if (sha) return sha;
    }
    const fresh = opts.maxAgeMs !== undefined && Date.now() - (lastFetchStart.get(dir) ?? -Infinity) < opts.maxAgeMs;
    if (fresh) {
      const cached = await lookup(dir, rev);
      if (cached) return cached;
    }
    await coalesce(dir, () => fetchMirror(repo, url, dir));
    const sha = await lookup(dir, rev);
    if (!sha) throw notFound();
    return sha;
  }

  async function checkout(dir: string, sha: string): Promise<string> {
    const dest = path.join(cacheDir, 'checkouts', sha);
    if (await exists(dest)) return dest;
    const tmp = `${dest}.tmp-${randomBytes(4).toString('hex')}`;
    const index = `${tmp}.index`;
    try {
      await mkdir(tmp, { recursive: true });
      const env = { GIT_INDEX_FILE: index };
      await git.run(dir, ['read-tree', sha], { env });
      await git.run(dir, ['--work-tree', tmp, 'checkout-index', '--all', '--force'], { env });
      await refuseEscapingLinks(dir, sha, tmp);
      await rename(tmp, dest).catch(async (error: unknown) => {
        if (!(await exists(dest))) throw error;
      });
      return dest;
    } finally {
      await rm(tmp, { recursive: true, force: true });
      await rm(index, { force: true });
    }
  }

  /**
   * Like Argo CD, refuse trees with symlinks that point outside the repository. Each link is
   * resolved step by step, following the links it passes through (`sub/l -> ..` then
   * `sub/a -> l/../../x` stays inside when read as text, but leaves the tree on disk).
   */
  async function refuseEscapingLinks(dir: string, sha: string, tree: string): Promise<void> {
    const listing = await git.run(dir, ['ls-tree', '-r', '-z', '--full-tree', sha]);
    for (const entry of listing.split('\0')) {
      const tab = entry.indexOf('\t');
      if (!entry.startsWith('120000 ') || tab < 0) continue;
      const link = entry.slice(tab + 1);
      if (await escapesTree(tree, link)) {
        throw new RepoError(
          'UNSAFE_CONTENT',
          `repository contains out-of-bounds symlinks: ${link} points outside the repository`,
        );
      }
    }
  }

  async function knownCommit(repo: RepoRef, sha: string): Promise<{ url: string; dir: string; sha: string }> {
    const url = checkUrl(repo.url);
    const dir = mirrorDir(url);
    const full = FULL_SHA.test(sha) && (await exists(path.join(dir, 'HEAD'))) ? await knownSha(dir, sha) : null;
    if (!full)
      throw new RepoError(
        'REVISION_NOT_FOUND',
        `revision ${sha} not found in ${displayRepoUrl(url)}: resolve it first`,
      );
    return { url, dir, sha: full };
  }

  async function readTree(repo: RepoRef, sha: string, subPath: string): Promise<string> {
    const commit = await knownCommit(repo, sha);
    const key = commit.sha;
    let pending = checkoutsInFlight.get(key);
    if (!pending) {
      pending = checkout(commit.dir, commit.sha).finally(() => checkoutsInFlight.delete(key));
      checkoutsInFlight.set(key, pending);
    }
    const root = await pending;
    const target = path.resolve(root, subPath.replace(/^\/+/, '') || '.');
    const missing = () =>
      new RepoError(
        'PATH_NOT_FOUND',
        `path "${subPath}" not found in ${displayRepoUrl(commit.url)} at ${commit.sha.slice(0, 7)}`,
      );
    if (target !== root && !target.startsWith(root + path.sep)) throw missing();
    const info = await stat(target).catch(() => null);
    if (!info?.isDirectory()) throw missing();
    return target;
  }

  async function commitInfo(repo: RepoRef, sha: string): Promise<CommitInfo> {
    const commit = await knownCommit(repo, sha);
    const out = await git.run(commit.dir, ['show', '-s', '--format=%H%x00%an%x00%ae%x00%aI%x00%B', commit.sha]);
    const [full, author, authorEmail, date, ...rest] = out.split('\0');
    return { sha: full.trim(), author, authorEmail, date, message: rest.join('\0').trim() };
  }

  return {
    resolveRevision,
    readTree,
    commitInfo,
    mirrorDir: (url) => mirrorDir(url),
    checkUrl: async (url) => void (await guard(url)),
  };
}
