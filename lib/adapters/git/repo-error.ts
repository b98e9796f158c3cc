/** Why a repository operation failed. Messages never contain credentials. */
export type RepoErrorCode =
  | 'INVALID_URL'
  | 'LOCAL_NOT_ALLOWED'
  | 'UNREACHABLE'
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
