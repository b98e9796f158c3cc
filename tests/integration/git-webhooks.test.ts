import { createHmac } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { applications, gitWebhookSecrets } from '../../lib/adapters/db/schema';
import { handleGitPush } from '../../lib/server/webhooks/handle-git-push';
import { deleteWebhookSecret } from '../../lib/server/webhooks/delete-webhook-secret';
import { listWebhookSecrets } from '../../lib/server/webhooks/list-webhook-secrets';
import { setWebhookSecret } from '../../lib/server/webhooks/set-webhook-secret';
import type { Principal } from '../../lib/server/principal';
import { box, failure, insertApps, seedBasics } from './applications-support';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let me: Principal;
const GH_SECRET = 'github-hook-secret';

const hmac = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const githubPush = (ref: string, repo = 'acme/deploy', defaultBranch = 'main') =>
  JSON.stringify({
    ref,
    after: 'c'.repeat(40),
    repository: {
      full_name: repo,
      html_url: `https://github.com/${repo}`,
      clone_url: `https://github.com/${repo}.git`,
      ssh_url: `git@github.com:${repo}.git`,
      default_branch: defaultBranch,
    },
  });
const push = (headers: Record<string, string>, body: string) => handleGitPush(t.deps(), box, headers, body);
const refreshed = async () =>
  (await t.handle.db.select({ name: applications.name, r: applications.refreshRequested }).from(applications))
    .filter((a) => a.r)
    .map((a) => a.name)
    .sort();

beforeAll(async () => {
  t = await testDatabase();
  me = await seedBasics(t);
  await grantAdmin(t, me.username);
  await insertApps(t, [
    // Every spelling of one repository: scheme, .git suffix, host case, SSH forms.
    { name: 'gh-https', normalizedRepoUrl: 'https://github.com/acme/deploy', targetRevision: 'main' },
    { name: 'gh-ssh', normalizedRepoUrl: 'ssh://git@github.com/acme/deploy', targetRevision: 'refs/heads/main' },
    { name: 'gh-head', normalizedRepoUrl: 'http://github.com/acme/deploy', targetRevision: 'HEAD' },
    { name: 'gh-other-branch', normalizedRepoUrl: 'https://github.com/acme/deploy', targetRevision: 'release' },
    { name: 'gh-tag', normalizedRepoUrl: 'https://github.com/acme/deploy', targetRevision: 'v1.2.0' },
    { name: 'gh-sha', normalizedRepoUrl: 'https://github.com/acme/deploy', targetRevision: 'c'.repeat(40) },
    { name: 'gh-other-repo', normalizedRepoUrl: 'https://github.com/acme/deploy-other', targetRevision: 'main' },
    { name: 'gl-app', normalizedRepoUrl: 'https://gitlab.example.com/group/sub/deploy', targetRevision: 'main' },
    { name: 'bb-app', normalizedRepoUrl: 'ssh://git@bitbucket.org/team/deploy', targetRevision: 'main' },
    { name: 'bbs-app', normalizedRepoUrl: 'https://bitbucket.acme.io/scm/ops/deploy', targetRevision: 'develop' },
  ]);
  await t.handle.db.update(applications).set({ refreshRequested: null });
});

beforeEach(async () => {
  await t.handle.db.update(applications).set({ refreshRequested: null });
  await t.handle.db.delete(gitWebhookSecrets);
});

it('GitHub: a good signature refreshes only the apps of that repository and branch', async () => {
  await setWebhookSecret(t.deps(), box, me, 'github', GH_SECRET);
  const body = githubPush('refs/heads/main', 'Acme/Deploy');
  const res = await push({ 'x-github-event': 'push', 'x-hub-signature-256': hmac(body, GH_SECRET) }, body);
  expect(res).toEqual({ status: 200, result: { provider: 'github', refreshed: 3 } });
  expect(await refreshed()).toEqual(['gh-head', 'gh-https', 'gh-ssh']);
});

it('GitHub: a bad or missing signature is a 401 and refreshes nothing', async () => {
  await setWebhookSecret(t.deps(), box, me, 'github', GH_SECRET);
  const body = githubPush('refs/heads/main');
  const bad = await failure(
    push({ 'x-github-event': 'push', 'x-hub-signature-256': hmac(body, 'wrong-secret') }, body),
  );
  expect(bad?.status).toBe(401);
  const tampered = await failure(
    push({ 'x-github-event': 'push', 'x-hub-signature-256': hmac(body, GH_SECRET) }, body.replace('main', 'mainx')),
  );
  expect(tampered?.status).toBe(401);
  const missing = await failure(push({ 'x-github-event': 'push' }, body));
  expect(missing?.status).toBe(401);
  expect(missing?.message).toContain('X-Hub-Signature-256');
  expect(await refreshed()).toEqual([]);
});

it('GitHub: HEAD follows the default branch only; tags match tag revisions; other events are ignored', async () => {
  const feature = githubPush('refs/heads/release');
  expect((await push({ 'x-github-event': 'push' }, feature)).result.refreshed).toBe(1);
  const tag = githubPush('refs/tags/v1.2.0');
  expect((await push({ 'x-github-event': 'push' }, tag)).result.refreshed).toBe(1);
  const ping = await push({ 'x-github-event': 'ping' }, '{"zen":"hi"}');
  expect(ping).toMatchObject({ status: 202, result: { refreshed: 0, ignored: expect.stringContaining('ping') } });
  expect((await failure(push({ 'x-github-event': 'push' }, '{"ref":1}')))?.status).toBe(400);
  expect((await failure(push({ 'x-github-event': 'push' }, 'not json')))?.status).toBe(400);
  expect((await failure(push({}, githubPush('refs/heads/main'))))?.status).toBe(400);
});

it('accepts unsigned deliveries when no secret is set for the provider (Argo CD behaviour)', async () => {
  await setWebhookSecret(t.deps(), box, me, 'gitlab', 'gitlab-token-1');
  const res = await push({ 'x-github-event': 'push' }, githubPush('refs/heads/main'));
  expect(res.result.refreshed).toBe(3);
});

it('GitLab: X-Gitlab-Token must match when set', async () => {
  await setWebhookSecret(t.deps(), box, me, 'gitlab', 'gitlab-token-1');
  const body = JSON.stringify({
    object_kind: 'push',
    ref: 'refs/heads/main',
    project: {
      git_http_url: 'https://gitlab.example.com/group/sub/deploy.git',
      git_ssh_url: 'git@gitlab.example.com:group/sub/deploy.git',
      web_url: 'https://gitlab.example.com/group/sub/deploy',
      default_branch: 'main',
    },
  });
  expect(
    (await failure(push({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'gitlab-token-2' }, body)))?.status,
  ).toBe(401);
  expect(await refreshed()).toEqual([]);
  const ok = await push({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'gitlab-token-1' }, body);
  expect(ok.result).toEqual({ provider: 'gitlab', refreshed: 1 });
});

it('Bitbucket Cloud (repo:push, web URL matched to an SSH app) and Bitbucket Server (refs_changed, signed)', async () => {
  const cloud = JSON.stringify({
    repository: {
      full_name: 'team/deploy',
      links: { html: { href: 'https://bitbucket.org/team/deploy' } },
      mainbranch: { name: 'main' },
    },
    push: { changes: [{ new: { type: 'branch', name: 'main' }, old: { type: 'branch', name: 'main' } }] },
  });
  expect((await push({ 'x-event-key': 'repo:push' }, cloud)).result.refreshed).toBe(1);
  await setWebhookSecret(t.deps(), box, me, 'bitbucket', 'bitbucket-secret');
  const server = JSON.stringify({
    repository: {
      links: {
        clone: [
          { href: 'https://bitbucket.acme.io/scm/ops/deploy.git', name: 'http' },
          { href: 'ssh://git@bitbucket.acme.io:7999/ops/deploy.git', name: 'ssh' },
        ],
      },
    },
    changes: [{ ref: { id: 'refs/heads/develop', displayId: 'develop' }, type: 'UPDATE' }],
  });
  expect((await failure(push({ 'x-event-key': 'repo:refs_changed' }, server)))?.status).toBe(401);
  expect(
    (await failure(push({ 'x-event-key': 'repo:refs_changed', 'x-hub-signature': hmac(server, 'other') }, server)))
      ?.status,
  ).toBe(401);
  const ok = await push(
    { 'x-event-key': 'repo:refs_changed', 'x-hub-signature': hmac(server, 'bitbucket-secret') },
    server,
  );
  expect(ok.result).toEqual({ provider: 'bitbucket', refreshed: 1 });
});

it('skips apps being deleted', async () => {
  await t.handle.db
    .update(applications)
    .set({ deletion: { cascade: true, requestedBy: 'ops', requestedAt: '2026-01-01T00:00:00Z' } })
    .where(inArray(applications.name, ['gh-https']));
  expect((await push({ 'x-github-event': 'push' }, githubPush('refs/heads/main'))).result.refreshed).toBe(2);
  await t.handle.db.update(applications).set({ deletion: null });
});

it('stores webhook secrets sealed and never returns them', async () => {
  const set = await setWebhookSecret(t.deps(), box, me, 'github', GH_SECRET);
  expect(JSON.stringify(set)).not.toContain(GH_SECRET);
  const [row] = await t.handle.db.select().from(gitWebhookSecrets);
  expect(row.sealedSecret).not.toContain(GH_SECRET);
  const listed = await listWebhookSecrets(t.deps(), me);
  expect(listed.items).toEqual([
    { provider: 'github', configured: true, updatedBy: 'ops', updatedAt: expect.any(String) },
    { provider: 'gitlab', configured: false },
    { provider: 'bitbucket', configured: false },
  ]);
  expect(JSON.stringify(listed)).not.toContain(GH_SECRET);
  await deleteWebhookSecret(t.deps(), me, 'github');
  expect((await failure(deleteWebhookSecret(t.deps(), me, 'github')))?.status).toBe(404);
});
