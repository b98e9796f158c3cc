import path from 'node:path';
import { createRepoMirrors, type RepoHostPolicy, type RepoMirrors } from '@/lib/adapters/git';
import { env } from '@/lib/env';

const store = globalThis as typeof globalThis & { __keelsonMirrors?: RepoMirrors };

/** Local repository URLs are for development and tests; production keeps them off unless asked. */
export function allowLocalRepos(): boolean {
  const e = env();
  return e.KEELSON_ALLOW_LOCAL_REPOS ? e.KEELSON_ALLOW_LOCAL_REPOS === 'true' : e.NODE_ENV !== 'production';
}

/**
 * Which repository hosts this server may fetch from: local repositories (loopback, link-local,
 * file://) with KEELSON_ALLOW_LOCAL_REPOS, which also allows private networks; otherwise the
 * private hosts KEELSON_ALLOW_PRIVATE_REPO_HOSTS names (none when unset).
 */
export function repoHostPolicy(allowLocal: boolean = allowLocalRepos()): RepoHostPolicy {
  return { allowLocal, privateHosts: allowLocal ? 'all' : (env().KEELSON_ALLOW_PRIVATE_REPO_HOSTS ?? 'none') };
}

/** The web process's repository mirrors, under KEELSON_DATA_DIR/repos. */
export function repoMirrors(): RepoMirrors {
  store.__keelsonMirrors ??= createRepoMirrors({
    cacheDir: path.join(path.resolve(env().KEELSON_DATA_DIR), 'repos'),
    ...repoHostPolicy(),
  });
  return store.__keelsonMirrors;
}
