import { parseJsonText } from '@/lib/domain/http/bounded-parse';
import { AppError } from '@/lib/errors';
import type { TGitProvider, TGitPushResult } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../gitops/ports';
import type { SecretBox } from '../security/secret-box';
import { verifySignature } from './verify-signature';
import { refMatches, repoMatchKey } from './match-push';
import { parseGitPush, providerOf, type GitPush } from './parse-git-push';
import { webhookSecretFor } from './webhook-secret-for';

/**
 * GitHub and GitLab through the shared checker. Bitbucket (Cloud webhook secrets and Server) signs
 * like GitHub, `sha256=<hex HMAC>`, in `X-Hub-Signature`.
 */
function checkSignature(
  provider: TGitProvider,
  headers: Readonly<Record<string, string>>,
  rawBody: string,
  secret: string,
): { ok: true } | { ok: false; reason: string } {
  if (provider !== 'bitbucket') return verifySignature(provider, headers, rawBody, secret);
  const given = headers['x-hub-signature'];
  if (!given) return { ok: false, reason: 'missing X-Hub-Signature header' };
  const verdict = verifySignature('github', { 'x-hub-signature-256': given }, rawBody, secret);
  return verdict.ok ? verdict : { ok: false, reason: 'X-Hub-Signature does not match the body' };
}

/** Apps following the pushed repository (any URL form) at a pushed branch or tag; not those being deleted. */
async function matchingApps(deps: Pick<GitopsDeps, 'gitops'>, push: GitPush): Promise<string[]> {
  const keys = [...new Set(push.repoUrls.map(repoMatchKey))];
  if (keys.length === 0) return [];
  const candidates = await deps.gitops.apps.followingRepos(keys);
  return candidates
    .filter((a) => push.refs.some((ref) => refMatches(a.targetRevision, ref, push.defaultBranch)))
    .map((a) => a.name);
}

/**
 * POST /api/webhooks/git. When a secret is set for the provider, a missing or bad signature is a
 * 401 and nothing is refreshed. With no secret set every delivery is accepted, as Argo CD does; a
 * forged push can only cause a refresh, never a change of what is deployed.
 */
export async function handleGitPush(
  deps: GitopsDeps,
  box: SecretBox,
  headers: Readonly<Record<string, string>>,
  rawBody: string,
): Promise<{ status: number; result: TGitPushResult }> {
  const provider = providerOf(headers);
  if (!provider) {
    throw new AppError(
      'BAD_REQUEST',
      'Not a GitHub, GitLab or Bitbucket webhook (no X-GitHub-Event, X-Gitlab-Event or X-Event-Key header).',
      { hint: 'Point a push webhook of your Git provider at this URL.' },
    );
  }
  const secret = await webhookSecretFor(deps, box, provider);
  if (secret !== undefined) {
    const verdict = checkSignature(provider, headers, rawBody, secret);
    if (!verdict.ok)
      throw new AppError('UNAUTHENTICATED', `Webhook signature rejected: ${verdict.reason}.`, {
        hint: `Give the ${provider} webhook the secret set in Settings → Webhooks.`,
      });
  }
  const body = parseJsonText(rawBody);
  if (!body.ok) {
    throw new AppError('BAD_REQUEST', `The webhook payload is not acceptable JSON: ${body.path}: ${body.message}.`, {
      hint: 'Set the webhook content type to application/json.',
    });
  }
  const event = parseGitPush(provider, headers, body.value);
  if (event.kind === 'ignored') return { status: 202, result: { provider, refreshed: 0, ignored: event.reason } };
  if (event.kind === 'invalid')
    throw new AppError('BAD_REQUEST', `Invalid ${provider} push: ${event.reason}.`, {
      hint: 'Send the provider’s push event payload unchanged.',
    });
  const names = await matchingApps(deps, event.push);
  if (names.length > 0) {
    // The refresh requests and the controller's wake-ups commit together.
    await deps.gitops.transaction(async (tx) => {
      await tx.apps.requestRefreshOf(names, deps.now());
      for (const name of names) await tx.notify(name);
    });
  }
  return { status: 200, result: { provider, refreshed: names.length } };
}
