export {
  createRepoMirrors,
  type CommitInfo,
  type RepoMirrors,
  type RepoMirrorsOptions,
  type RepoRef,
} from './repo-mirrors';
export { type RepoCredentials } from './git-runner';
export { RepoError, isRepoError, type RepoErrorCode } from './repo-error';
export { normalizeRepoUrl, classifyRepoUrl, scrubCredentials, displayRepoUrl } from './repo-url';
export { guardRemoteUrl, type RemoteTarget } from './repo-host-guard';
export type { PrivateHosts, RepoHostPolicy } from '@/lib/domain/gitops/repo-address';
