import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../../lib/adapters/db/schema';
import { ensureAdminUser } from '../../lib/server/auth/ensure-admin-user';
import { applyProject } from '../../lib/server/access/apply-project';
import { deleteProject } from '../../lib/server/access/delete-project';
import { getProject } from '../../lib/server/access/get-project';
import type { Principal } from '../../lib/server/principal';
import { authenticateApiToken } from '../../lib/server/tokens/authenticate-api-token';
import { createProjectToken } from '../../lib/server/tokens/create-project-token';
import { deleteProjectToken } from '../../lib/server/tokens/delete-project-token';
import { listProjectTokens } from '../../lib/server/tokens/list-project-tokens';
import { createApiToken } from '../../lib/server/tokens/create-api-token';
import { listApiTokens } from '../../lib/server/tokens/list-api-tokens';
import { revokeApiToken } from '../../lib/server/tokens/revoke-api-token';
import { readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let admin: Principal;
beforeAll(async () => {
  t = await testDatabase();
  await ensureAdminUser(t.deps(), 'project-tokens-1');
  const [row] = await t.handle.db.select().from(users).where(eq(users.username, 'admin'));
  admin = { userId: row.id, username: 'admin', name: null, role: 'admin', groups: [], via: 'token' };
});

const teamA = (roles: { name: string; policies?: string[] }[]) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'team-a' },
  spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], roles },
});
const CI = { name: 'ci', policies: ['p, proj:team-a:ci, applications, sync, team-a/*, allow'] };

describe('project tokens (argocd proj role create-token)', () => {
  it('a token acts as proj:team-a:ci: it may sync team-a apps and is refused (403) elsewhere', async () => {
    await applyProject(t.deps(), admin, teamA([CI, { name: 'viewer' }]), { mode: 'create' });
    const created = await createProjectToken(t.deps(), admin, 'team-a', 'ci', { expiresIn: '24h' });
    expect(created.token).toMatch(/^kls_/);
    expect(created.exp! - created.iat).toBe(86_400);
    const p = await authenticateApiToken(t.deps(), created.token);
    expect(p).toMatchObject({ username: 'proj:team-a:ci', groups: [], via: 'project-token' });
    const { access } = t.deps();
    await access.authorize(p!, 'applications', 'sync', 'team-a/web');
    await expect(access.authorize(p!, 'applications', 'sync', 'default/web')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'applications', action: 'sync', object: 'default/web' } },
    });
    await expect(access.authorize(p!, 'applications', 'delete', 'team-a/web')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // It is not its issuer: the admin's own token list does not show it, and it gets no admin rights.
    expect(await access.can(p!, 'projects', 'update', 'team-a')).toBe(false);
    expect(await listApiTokens(t.deps(), admin)).toEqual([]);
  });

  it("the project's GET shows the tokens by role (id, iat, exp) and list-tokens lists them", async () => {
    const project = await getProject(t.deps(), admin, 'team-a');
    const items = project.status?.jwtTokensByRole?.ci?.items ?? [];
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual({ id: expect.any(String), iat: expect.any(Number), exp: items[0].iat + 86_400 });
    const listed = await listProjectTokens(t.deps(), admin, 'team-a', 'ci');
    expect(listed.items.map((i) => i.id)).toEqual([items[0].id]);
    expect(JSON.stringify(listed)).not.toContain('kls_');
  });

  it('refuses (401: no principal) an expired token, a deleted one, and every token once the role is removed', async () => {
    const short = await createProjectToken(t.deps(), admin, 'team-a', 'ci', { expiresIn: '1h' });
    const later = () => new Date(Date.now() + 2 * 3_600_000);
    expect(await authenticateApiToken(t.deps(), short.token)).toBeDefined();
    expect(await authenticateApiToken(t.deps(later), short.token)).toBeUndefined();

    await deleteProjectToken(t.deps(), admin, 'team-a', 'ci', short.id);
    expect(await authenticateApiToken(t.deps(), short.token)).toBeUndefined();
    await expect(deleteProjectToken(t.deps(), admin, 'team-a', 'ci', short.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const kept = await createProjectToken(t.deps(), admin, 'team-a', 'ci', {});
    expect(kept.exp).toBeNull();
    expect(await authenticateApiToken(t.deps(), kept.token)).toBeDefined();
    await applyProject(t.deps(), admin, teamA([{ name: 'viewer' }]), { mode: 'upsert' });
    expect(await authenticateApiToken(t.deps(), kept.token)).toBeUndefined();
    // Adding the role back does not revive its old tokens (removing a role revoked them, as in Argo CD).
    await applyProject(t.deps(), admin, teamA([CI, { name: 'viewer' }]), { mode: 'upsert' });
    expect(await authenticateApiToken(t.deps(), kept.token)).toBeUndefined();
    expect((await listProjectTokens(t.deps(), admin, 'team-a', 'ci')).items).toEqual([]);

    const last = await createProjectToken(t.deps(), admin, 'team-a', 'ci', {});
    await deleteProject(t.deps(), admin, 'team-a');
    expect(await authenticateApiToken(t.deps(), last.token)).toBeUndefined();
  });

  it('needs projects, update on the project (readonly: 403, nothing created); unknown role 404; bad expiry 400', async () => {
    await applyProject(t.deps(), admin, teamA([CI]), { mode: 'create' });
    await expect(createProjectToken(t.deps(), readonly(), 'team-a', 'ci', {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'projects', action: 'update', object: 'team-a' } },
    });
    await expect(listProjectTokens(t.deps(), readonly(), 'team-a', 'ci')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await listProjectTokens(t.deps(), admin, 'team-a', 'ci')).items).toEqual([]);
    await expect(createProjectToken(t.deps(), admin, 'team-a', 'deployer', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(createProjectToken(t.deps(), admin, 'team-a', 'ci', { expiresIn: 'soon' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      details: { issues: [{ path: 'expiresIn' }] },
    });
    const actions = (await t.handle.db.select().from(auditLog)).map((r) => r.action);
    expect(actions.filter((a) => a === 'project.token.create')).toHaveLength(4);
    expect(actions.filter((a) => a === 'project.token.delete')).toHaveLength(1);
  });
});

describe('a project token is not its issuer', () => {
  it('cannot create an API token of the user who issued it (403), nor list or revoke their tokens', async () => {
    await applyProject(t.deps(), admin, teamA([CI]), { mode: 'upsert' });
    const created = await createProjectToken(t.deps(), admin, 'team-a', 'ci', {});
    const p = (await authenticateApiToken(t.deps(), created.token))!;
    await expect(createApiToken(t.deps(), p, { name: 'escalate' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const own = await createApiToken(t.deps(), admin, { name: 'mine' });
    await expect(listApiTokens(t.deps(), p)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(revokeApiToken(t.deps(), p, own.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The issuer's own token list and revoke do not reach project tokens either (they are managed per project).
    expect((await listApiTokens(t.deps(), admin)).map((x) => x.id)).toEqual([own.id]);
    await expect(revokeApiToken(t.deps(), admin, created.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await authenticateApiToken(t.deps(), created.token)).toBeDefined();
  });
});
