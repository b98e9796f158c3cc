import { classifyRepoUrl, displayRepoUrl, isRepoError, normalizeRepoUrl, type RepoMirrors } from '@/lib/adapters/git';
import type { TAddRepository } from '@/lib/schemas/gitops';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import type { SecretBox } from '../security/secret-box';
import { auditEntry } from './audit-entry';
import type { GitopsDeps } from './ports';

/**
 * Adds a repository after proving it can be read with the given credentials (its HEAD resolves).
 * Local paths and file:// URLs need KEELSON_ALLOW_LOCAL_REPOS=true. Credentials are sealed.
 * Needs `repositories, create, <repo URL>`.
 */
export async function addRepository(
  deps: GitopsDeps,
  box: SecretBox,
  mirrors: RepoMirrors,
  principal: Principal,
  input: TAddRepository,
  allowLocal: boolean,
) {
  await deps.access.authorize(principal, 'repositories', 'create', displayRepoUrl(input.url));
  const kind = classifyRepoUrl(input.url);
  if (kind === 'invalid')
    throw new AppError('BAD_REQUEST', `url: "${displayRepoUrl(input.url)}" is not a repository URL.`, {
      issues: [{ path: 'url', message: 'not a repository URL' }],
      hint: 'Use https://…, ssh://… or git@host:org/repo.',
    });
  if (kind === 'local' && !allowLocal) {
    throw new AppError('BAD_REQUEST', 'url: local paths and file:// URLs are not allowed on this server.', {
      issues: [{ path: 'url', message: 'local repositories are off' }],
      hint: 'Set KEELSON_ALLOW_LOCAL_REPOS=true (development and tests only).',
    });
  }
  // The host's addresses are checked before anything connects (the fetch below checks again).
  try {
    await mirrors.checkUrl(input.url);
  } catch (err) {
    if (
      isRepoError(err) &&
      (err.code === 'REFUSED_ADDRESS' || err.code === 'INVALID_URL' || err.code === 'LOCAL_NOT_ALLOWED')
    ) {
      throw new AppError('BAD_REQUEST', `url: ${err.message}`, {
        issues: [{ path: 'url', message: err.message }],
        hint: 'Use the URL of a Git server this Keelson may reach; see KEELSON_ALLOW_PRIVATE_REPO_HOSTS for private networks.',
      });
    }
    throw repoUnreadable(input.url, err);
  }
  const normalizedUrl = normalizeRepoUrl(input.url);
  if (await deps.gitops.repositories.exists(normalizedUrl))
    throw new AppError('CONFLICT', `${displayRepoUrl(input.url)} is already added.`, {
      hint: 'Remove it first to change its credentials.',
    });
  const credentials =
    input.username || input.password || input.sshPrivateKey
      ? { username: input.username, token: input.password, sshPrivateKey: input.sshPrivateKey }
      : undefined;
  try {
    await mirrors.resolveRevision({ url: input.url, credentials }, 'HEAD');
  } catch (err) {
    throw repoUnreadable(input.url, err);
  }
  return deps.gitops.transaction(async (tx) => {
    const row = await tx.repositories.insert({
      url: displayRepoUrl(input.url),
      normalizedUrl,
      sealedCredentials: credentials ? box.seal(JSON.stringify(credentials)) : null,
      createdBy: principal.username,
      createdAt: deps.now(),
    });
    await tx.audit.record(auditEntry(principal, 'repository.add', `repository/${row.url}`));
    return row;
  });
}

function repoUnreadable(url: string, err: unknown): AppError {
  const message = isRepoError(err) ? err.message : 'the repository could not be read';
  return new AppError('BAD_REQUEST', `Cannot read ${displayRepoUrl(url)}: ${message}`, {
    issues: [{ path: 'url', message }],
    hint: 'Check the URL and the credentials.',
  });
}
