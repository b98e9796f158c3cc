import { normalizeRepoUrl } from '@/lib/adapters/git';

/**
 * Scheme-free, lower-case form of a repository URL: `github.com/org/repo`. A push names the
 * repository by its web, HTTPS and SSH URLs while an app follows any one of them, so matching
 * ignores scheme and user (as Argo CD's webhook handler does) as well as `.git` and host case.
 */
export function repoMatchKey(url: string): string {
  return normalizeRepoUrl(url)
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\/([^@/]*@)?/, '');
}

/** The same transformation in SQL, applied to applications.normalized_repo_url. */
export const REPO_MATCH_KEY_SQL_PATTERN = '^[a-z][a-z0-9+.-]*://([^@/]*@)?';

/**
 * Does a pushed ref move what the app follows? Branch names and tags match by short or full ref;
 * HEAD (or empty) follows the default branch, which a payload may name; without it any branch
 * push refreshes (a refresh is cheap, a missed one is not). SHAs never move.
 */
export function refMatches(targetRevision: string, ref: string, defaultBranch: string | undefined): boolean {
  const target = targetRevision.trim();
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  if (branch !== undefined) {
    if (target === '' || target === 'HEAD') return !defaultBranch || defaultBranch === branch;
    return target === branch || target === ref;
  }
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  return tag !== undefined && (target === tag || target === ref);
}
