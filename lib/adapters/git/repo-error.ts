/** Why a repository operation failed. Messages never contain credentials. */
export type RepoErrorCode =
  | 'INVALID_URL'
  | 'LOCAL_NOT_ALLOWED'
  /** The host resolves to an address the server must not connect to (loopback, metadata, private). */
  | 'REFUSED_ADDRESS'
  | 'UNREACHABLE'
  /** The server answered with a redirect, which is never followed. */
  | 'REDIRECTED'
  /** The server answered, but holds no repository at that path. */
  | 'REPO_NOT_FOUND'
  | 'AUTH_FAILED'
  | 'REVISION_NOT_FOUND'
  | 'PATH_NOT_FOUND'
  | 'UNSAFE_CONTENT'
  | 'GIT_FAILED';

export class RepoError extends Error {
  constructor(
    readonly code: RepoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RepoError';
  }
}

export function isRepoError(error: unknown): error is RepoError {
  return error instanceof RepoError;
}
