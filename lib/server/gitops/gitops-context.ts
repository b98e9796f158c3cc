import type { RepoHostPolicy } from '@/lib/adapters/git';
import type { TEnv } from '@/lib/env';

/** Local repository URLs are for development and tests; production keeps them off unless asked. */
export function allowLocalRepos(e: TEnv): boolean {
  return e.KEELSON_ALLOW_LOCAL_REPOS ? e.KEELSON_ALLOW_LOCAL_REPOS === 'true' : e.NODE_ENV !== 'production';
}

/**
 * Which repository hosts this server may fetch from: local repositories (loopback, link-local,
 * file://) with KEELSON_ALLOW_LOCAL_REPOS, which also allows private networks; otherwise the
 * private hosts KEELSON_ALLOW_PRIVATE_REPO_HOSTS names (none when unset).
 */
export function repoHostPolicy(allowLocal: boolean | undefined, e: TEnv): RepoHostPolicy {
  const local = allowLocal ?? allowLocalRepos(e);
  return { allowLocal: local, privateHosts: local ? 'all' : (e.KEELSON_ALLOW_PRIVATE_REPO_HOSTS ?? 'none') };
}
