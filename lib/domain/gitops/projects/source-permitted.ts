/**
 * AppProject.IsSourcePermitted: the source repo URL must match a `sourceRepos` glob (with `/` as separator) and
 * none of its `!` entries. URLs are compared normalized (Argo CD's git.NormalizeGitURL, simplified: case, a
 * trailing `.git` or `/`, scp-like `git@host:path`).
 */
import type { ProjectDecision } from './decision';
import { globMatch, isDenyPattern } from './glob';

export function normalizeRepoUrl(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^([^@/:]+@)?([^/:]+):(?!\/\/)(.*)$/.exec(u);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//.test(u)) u = `ssh://${scp[1] ?? ''}${scp[2]}/${scp[3]}`;
  return u.replace(/\/+$/, '').replace(/\.git$/, '');
}

export function isSourcePermitted(sourceRepos: readonly string[] | undefined, repoURL: string): ProjectDecision {
  const src = normalizeRepoUrl(repoURL);
  let allowedBy: string | undefined;
  for (const entry of sourceRepos ?? []) {
    if (isDenyPattern(entry)) {
      if (globMatch(normalizeRepoUrl(entry.slice(1)), src, '/')) {
        return { permitted: false, rule: `sourceRepos: '${entry}'` };
      }
    } else if (allowedBy === undefined && globMatch(entry === '*' ? '*' : normalizeRepoUrl(entry), src, '/')) {
      allowedBy = entry;
    }
  }
  if (allowedBy !== undefined) return { permitted: true, rule: `sourceRepos: '${allowedBy}'` };
  return { permitted: false, rule: `sourceRepos: no entry permits '${repoURL}'` };
}
