/**
 * Maps a failed fetch to one of a few fixed messages. git's own stderr is never shown: it would tell
 * a user what answers on which host and port (a port-scanning oracle) and echo internal names.
 * Only hosts the guard allowed are ever contacted, so "authentication failed" or "not found" says
 * nothing about addresses that are refused.
 */
import { GitCommandError } from './git-runner';
import { RepoError } from './repo-error';
import { displayRepoUrl } from './repo-url';

const AUTH =
  /Authentication failed|could not read (Username|Password)|Permission denied \(publickey|returned error: 40[13]\b|terminal prompts disabled/i;
const REDIRECT = /returned error: 30\d\b/i;
const NOT_FOUND =
  /repository '[^']*' not found|returned error: 404\b|does not appear to be a git repository|Repository not found|not a git repository/i;
const HOST_KEY = /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i;

export function fetchError(url: string, error: unknown): RepoError {
  if (error instanceof RepoError) return error;
  const stderr = error instanceof GitCommandError ? error.stderr : String(error);
  const where = displayRepoUrl(url);
  if (AUTH.test(stderr))
    return new RepoError('AUTH_FAILED', `authentication failed for ${where}: check the repository credentials`);
  if (REDIRECT.test(stderr)) {
    return new RepoError(
      'REDIRECTED',
      `${where} answered with a redirect, which Keelson does not follow: use the repository's current URL (after a rename or move)`,
    );
  }
  if (NOT_FOUND.test(stderr)) return new RepoError('REPO_NOT_FOUND', `no git repository at ${where}: check the URL`);
  if (HOST_KEY.test(stderr)) {
    return new RepoError(
      'UNREACHABLE',
      `the SSH host key of ${where} does not match the one seen before: if the server's key really changed, remove its line from the known_hosts file in Keelson's repository cache`,
    );
  }
  return new RepoError(
    'UNREACHABLE',
    `repository ${where} cannot be reached: the connection failed, timed out, was refused or its TLS certificate is not trusted`,
  );
}
