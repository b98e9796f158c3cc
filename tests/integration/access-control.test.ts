import { beforeAll, describe, expect, it } from 'vitest';
import { defaultProject } from '../../lib/domain/gitops/projects';
import { canIDo, canIDoAll } from '../../lib/server/access/can-i';
import type { Principal } from '../../lib/server/principal';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});

const user = (username: string, groups: string[] = []): Principal => ({
  userId: '00000000-0000-4000-8000-000000000000',
  username,
  name: null,
  role: 'user',
  groups,
  via: 'session',
});

describe('access control on the stored policy', () => {
  it('a fresh install: the local admin is role:admin, everyone else role:readonly', async () => {
    const { access } = t.deps();
    expect(await access.can(user('admin'), 'applications', 'sync', 'default/web')).toBe(true);
    expect(await access.can(user('alice', ['dev']), 'applications', 'get', 'default/web')).toBe(true);
    expect(await access.can(user('alice', ['dev']), 'applications', 'sync', 'default/web')).toBe(false);
    await expect(access.authorize(user('alice'), 'applications', 'delete', 'default/web')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'applications', action: 'delete', object: 'default/web' } },
    });
    expect((await access.project('default'))?.spec.sourceRepos).toEqual(['*']);
  });

  it('an applied argocd-rbac-cm takes effect on the next request, in every process', async () => {
    const d = t.deps();
    await d.accessStores.rbac.put(
      {
        'policy.default': '',
        'policy.csv': 'p, role:deployer, applications, sync, default/*, allow\ng, dev, role:deployer',
      },
      'admin',
    );
    const { access } = t.deps();
    expect(await access.can(user('alice', ['dev']), 'applications', 'sync', 'default/web')).toBe(true);
    expect(await access.can(user('alice', ['dev']), 'applications', 'get', 'default/web')).toBe(false);
    expect(await access.can(user('bob', ['ops']), 'applications', 'get', 'default/web')).toBe(false);
    await d.accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'admin');
    expect(await t.deps().access.can(user('bob', ['ops']), 'applications', 'get', 'default/web')).toBe(true);
  });

  it("a project's roles grant within that project only", async () => {
    const team = defaultProject();
    team.metadata.name = 'team-a';
    team.spec.roles = [
      { name: 'dev', policies: ['p, proj:team-a:dev, applications, sync, team-a/*, allow'], groups: ['team-a-devs'] },
    ];
    await t.deps().accessStores.projects.put(team, 'admin');
    const { access } = t.deps();
    expect(await access.can(user('carol', ['team-a-devs']), 'applications', 'sync', 'team-a/api')).toBe(true);
    expect(await access.can(user('carol', ['team-a-devs']), 'applications', 'sync', 'default/api')).toBe(false);
    expect(await access.can(user('proj:team-a:dev'), 'applications', 'sync', 'team-a/api')).toBe(true);
    const items = await access.filter(
      user('carol', ['team-a-devs']),
      'applications',
      'sync',
      ['team-a/x', 'default/y'],
      (o) => o,
    );
    expect(items).toEqual(['team-a/x']);
  });
});

describe('can-i', () => {
  it('answers yes/no as argocd account can-i does, an unknown resource being no', async () => {
    await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'admin');
    const d = t.deps();
    expect(await canIDo(d, user('admin'), { resource: 'applications', action: 'sync', object: 'default/*' })).toEqual({
      allowed: true,
      answer: 'yes',
    });
    expect(await canIDo(d, user('eve'), { resource: 'applications', action: 'sync', object: 'default/*' })).toEqual({
      allowed: false,
      answer: 'no',
    });
    expect(await canIDo(d, user('admin'), { resource: 'nonsense', action: 'get' })).toEqual({
      allowed: false,
      answer: 'no',
    });
    expect(
      await canIDoAll(d, user('eve'), [
        { resource: 'applications', action: 'get', object: 'default/x' },
        { resource: 'pipelineruns', action: 'create', object: 'default/x' },
      ]),
    ).toEqual([true, false]);
  });
});
