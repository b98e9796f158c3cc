import { describe, expect, it } from 'vitest';
import { parsePolicyCsv } from '@/lib/domain/access/policy-csv';
import { parseRbacConfigMap, rbacConfigFromData, type RbacConfig } from '@/lib/domain/access/rbac-config';
import type { PolicyEngine } from '@/lib/server/access/ports';
import { ARGO_CD_SAMPLE_RBAC_CM } from '@/tests/fixtures/access/argocd-rbac-cm';
import { createCasbinPolicyEngine } from './policy-engine';

function config(data: Record<string, string>): RbacConfig {
  const result = rbacConfigFromData(data);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

async function engineFor(data: Record<string, string>): Promise<PolicyEngine> {
  return createCasbinPolicyEngine(config(data));
}

type Request = [subjects: string[], resource: string, action: string, object: string];

async function decide(engine: PolicyEngine, requests: Request[]): Promise<boolean[]> {
  return Promise.all(requests.map(([s, r, a, o]) => engine.enforce(s, r, a, o)));
}

describe('casbin policy engine (Argo CD model)', () => {
  it('built-in roles: admin and role:admin do everything, role:readonly only gets (TestBuiltinPolicyEnforcer)', async () => {
    const engine = await engineFor({});
    expect(
      await decide(engine, [
        [['admin'], 'applications', 'get', 'foo/bar'],
        [['admin'], 'applications', 'delete', 'foo/bar'],
        [['role:readonly'], 'applications', 'get', 'foo/bar'],
        [['role:admin'], 'applications', 'get', 'foo/bar'],
        [['role:admin'], 'applications', 'delete', 'foo/bar'],
        [['role:admin'], 'applications', 'action/apps/Deployment/restart', 'foo/bar'],
      ]),
    ).toEqual([true, true, true, true, true, true]);
    expect(
      await decide(engine, [
        [['role:readonly'], 'applications', 'create', 'foo/bar'],
        [['role:readonly'], 'applications', 'delete', 'foo/bar'],
        [['bob'], 'applications', 'get', 'foo/bar'],
      ]),
    ).toEqual([false, false, false]);
  });

  it('policy.default gives every subject its role (TestDefaultRole)', async () => {
    expect(await (await engineFor({})).enforce(['bob'], 'applications', 'get', 'foo/bar')).toBe(false);
    const engine = await engineFor({ 'policy.default': 'role:readonly' });
    expect(await engine.enforce(['bob'], 'applications', 'get', 'foo/bar')).toBe(true);
    expect(await engine.enforce(['bob'], 'applications', 'sync', 'foo/bar')).toBe(false);
  });

  it('isolates projects: a role on foo/* cannot touch bar/* (TestProjectIsolationEnforcement)', async () => {
    const engine = await engineFor({
      'policy.csv': `p, role:foo-admin, *, *, foo/*, allow
p, role:bar-admin, *, *, bar/*, allow
g, alice, role:foo-admin
g, bob, role:bar-admin`,
    });
    expect(
      await decide(engine, [
        [['bob'], 'applications', 'delete', 'bar/obj'],
        [['bob'], 'applications', 'delete', 'foo/obj'],
        [['alice'], 'applications', 'delete', 'foo/obj'],
        [['alice'], 'applications', 'delete', 'bar/obj'],
      ]),
    ).toEqual([true, false, true, false]);
  });

  it('a project-scoped team role through a group, and nothing outside its project', async () => {
    const engine = await engineFor({
      'policy.csv': 'p, role:team-a, applications, *, team-a/*, allow\ng, team-a-devs, role:team-a',
    });
    expect(await engine.enforce(['carol', 'team-a-devs'], 'applications', 'sync', 'team-a/web')).toBe(true);
    expect(await engine.enforce(['carol', 'team-a-devs'], 'applications', 'sync', 'team-b/web')).toBe(false);
    expect(await engine.enforce(['carol'], 'applications', 'sync', 'team-a/web')).toBe(false);
  });

  it("Argo CD's documented sample: the org team administers apps, everyone else reads", async () => {
    const parsed = parseRbacConfigMap(ARGO_CD_SAMPLE_RBAC_CM);
    if (!parsed.ok) throw new Error('sample does not parse');
    const engine = await createCasbinPolicyEngine(parsed.config);
    const member = ['dana', 'your-github-org:your-team'];
    expect(
      await decide(engine, [
        [member, 'applications', 'sync', 'any/app'],
        [member, 'repositories', 'delete', 'https://git.example/x.git'],
        [member, 'clusters', 'delete', 'https://kubernetes.default.svc'],
        [['eve', 'other-team'], 'applications', 'get', 'any/app'],
        [['eve', 'other-team'], 'applications', 'sync', 'any/app'],
      ]),
    ).toEqual([true, true, false, true, false]);
  });

  it('a deny overrides an allow for the same subject, even the built-in admin', async () => {
    const engine = await engineFor({
      'policy.csv': `p, alice, *, get, foo/obj, allow
p, mike, *, get, foo/obj, deny
p, admin, applications, delete, prod/*, deny`,
    });
    expect(
      await decide(engine, [
        [['alice'], 'applications', 'get', 'foo/obj'],
        [['alice'], 'applications/resources', 'delete', 'foo/obj'],
        [['mike'], 'applications', 'get', 'foo/obj'],
        [['admin'], 'applications', 'delete', 'prod/db'],
        [['admin'], 'applications', 'delete', 'dev/db'],
      ]),
    ).toEqual([true, false, false, false, true]);
  });

  it('a deny on one subject does not remove what another subject grants (Argo CD checks subjects one by one)', async () => {
    const engine = await engineFor({
      'policy.csv': 'p, contractors, applications, sync, */*, deny\ng, ops, role:admin',
    });
    expect(await engine.enforce(['frank', 'contractors'], 'applications', 'sync', 'a/b')).toBe(false);
    expect(await engine.enforce(['frank', 'contractors', 'ops'], 'applications', 'sync', 'a/b')).toBe(true);
  });

  it('globs objects, with URLs as names (TestURLAsObjectName, TestDefaultGlobMatchMode)', async () => {
    const engine = await engineFor({
      'policy.csv': `p, alice, repositories, *, foo/*, allow
p, bob, repositories, *, foo/https://github.com/argoproj/argo-cd.git, allow
p, carl, clusters, get, "https://github.com/*/*.git", allow`,
    });
    expect(
      await decide(engine, [
        [['alice'], 'repositories', 'delete', 'foo/https://github.com/golang/go.git'],
        [['bob'], 'repositories', 'delete', 'foo/https://github.com/argoproj/argo-cd.git'],
        [['bob'], 'repositories', 'delete', 'foo/https://github.com/golang/go.git'],
        [['carl'], 'clusters', 'get', 'https://github.com/argoproj/argo-cd.git'],
        [['carl'], 'repositories', 'get', 'https://github.com/argoproj/argo-cd.git'],
      ]),
    ).toEqual([true, true, false, true, false]);
  });

  it('matches gobwas globs without separators, as upstream globMatchFunc (TestGlobMatchFunc)', async () => {
    const engine = await engineFor({
      'policy.csv': `p, gail, applications, get, arg/*, allow
p, gail, applications, sync, "{dev,staging}/app-?", allow
p, gail, applications, delete, dev/app-[!0-9], allow`,
    });
    expect(
      await decide(engine, [
        [['gail'], 'applications', 'get', 'arg/123'],
        [['gail'], 'applications', 'get', 'arg/team/deep'],
        [['gail'], 'applications', 'get', 'args/1'],
        [['gail'], 'applications', 'sync', 'staging/app-1'],
        [['gail'], 'applications', 'sync', 'prod/app-1'],
        [['gail'], 'applications', 'sync', 'dev/app-12'],
        [['gail'], 'applications', 'delete', 'dev/app-x'],
        [['gail'], 'applications', 'delete', 'dev/app-1'],
      ]),
    ).toEqual([true, true, false, true, false, false, true, false]);
  });

  it('merges policy.<name>.csv overlays with policy.csv', async () => {
    const engine = await engineFor({
      'policy.csv': 'g, staging-team, role:staging-admin',
      'policy.staging.csv': 'p, role:staging-admin, applications, *, staging/*, allow',
      'policy.prod.csv': 'p, role:prod-admin, applications, *, production/*, allow\ng, prod-team, role:prod-admin',
    });
    expect(await engine.enforce(['staging-team'], 'applications', 'sync', 'staging/web')).toBe(true);
    expect(await engine.enforce(['prod-team'], 'applications', 'sync', 'production/web')).toBe(true);
    expect(await engine.enforce(['staging-team'], 'applications', 'sync', 'production/web')).toBe(false);
  });

  it('regex matchMode matches patterns as casbin RegexMatchFunc does (TestRegexMatchMode)', async () => {
    const engine = await engineFor({
      'policy.matchMode': 'regex',
      'policy.csv': 'p, alice, clusters, get, "https://github.com/argo[a-z]{4}/argo-[a-z]+.git", allow',
    });
    expect(await engine.enforce(['alice'], 'clusters', 'get', 'https://github.com/argoproj/argo-cd.git')).toBe(true);
    expect(await engine.enforce(['alice'], 'clusters', 'get', 'https://github.com/argoproj/1argo-cd.git')).toBe(false);
  });

  it('regex matchMode keeps the built-in roles working (upstream argoproj/argo-cd#13127 loses them)', async () => {
    const engine = await engineFor({ 'policy.matchMode': 'regex', 'policy.default': 'role:readonly' });
    expect(
      await decide(engine, [
        [['bob'], 'applications', 'get', 'foo/bar'],
        [['bob'], 'applications', 'sync', 'foo/bar'],
        [['admin'], 'applications', 'sync', 'foo/bar'],
        [['admin'], 'applications', 'action/apps/Deployment/restart', 'foo/bar'],
        [['bob'], 'applicationsXget', 'get', 'foo/bar'],
      ]),
    ).toEqual([true, false, true, true, false]);
  });

  it("Keelson's pipeline resources: readonly reads, admin does everything, a team role stays in its project", async () => {
    const engine = await engineFor({
      'policy.csv': `p, role:team-a-ci, pipelineruns, *, team-a/*, allow
p, role:team-a-ci, pipelines, get, team-a/*, allow
g, team-a, role:team-a-ci`,
    });
    expect(
      await decide(engine, [
        [['role:readonly'], 'pipelines', 'get', 'default/build'],
        [['role:readonly'], 'pipelineruns', 'get', 'default/build-x1'],
        [['role:readonly'], 'triggers', 'get', 'default/on-push'],
        [['role:readonly'], 'pipelineruns', 'create', 'default/build-x1'],
        [['role:readonly'], 'pipelineruns', 'cancel', 'default/build-x1'],
        [['admin'], 'pipelineruns', 'cancel', 'default/build-x1'],
        [['admin'], 'triggers', 'delete', 'default/on-push'],
        [['team-a'], 'pipelineruns', 'cancel', 'team-a/build-x1'],
        [['team-a'], 'pipelineruns', 'cancel', 'team-b/build-x1'],
        [['team-a'], 'pipelines', 'update', 'team-a/build'],
      ]),
    ).toEqual([true, true, true, false, false, true, true, true, false, false]);
  });

  it('secrets are never readable by role:readonly, and no built-in role reads their values', async () => {
    const engine = await engineFor({ 'policy.default': 'role:readonly' });
    expect(
      await decide(engine, [
        [['role:readonly'], 'secrets', 'get', 'default/webhook'],
        [['anyone'], 'secrets', 'get', 'default/webhook'],
        [['admin'], 'secrets', 'get', 'default/webhook'],
        [['admin'], 'secrets', 'create', 'default/webhook'],
        [['anyone'], 'secrets', 'create', 'default/webhook'],
      ]),
    ).toEqual([false, false, false, true, false]);
  });

  it('refuses everyone when no subject is given', async () => {
    const engine = await engineFor({});
    expect(await engine.enforce([], 'applications', 'get', 'foo/bar')).toBe(false);
    expect(await engine.enforce([''], 'applications', 'get', 'foo/bar')).toBe(false);
  });
});

describe('casbin policy engine with an AppProject runtime policy (EnforceRuntimePolicy)', () => {
  const teamA = {
    project: 'team-a',
    policy: parsePolicyCsv(
      `p, proj:team-a:deployer, applications, sync, team-a/*, allow
g, team-a-deployers, proj:team-a:deployer`,
      { path: 'spec.roles' },
    ).policy,
  };

  it('grants a project role to its groups only in requests carrying that project policy', async () => {
    const engine = await engineFor({});
    expect(await engine.enforce(['team-a-deployers'], 'applications', 'sync', 'team-a/web', teamA)).toBe(true);
    expect(await engine.enforce(['team-a-deployers'], 'applications', 'sync', 'team-b/web', teamA)).toBe(false);
    expect(await engine.enforce(['team-a-deployers'], 'applications', 'sync', 'team-a/web')).toBe(false);
  });

  it('keeps the default role and lets user-policy denies override the project policy (TestDefaultRoleWithRuntimePolicy)', async () => {
    const engine = await engineFor({
      'policy.default': 'role:readonly',
      'policy.csv': 'p, team-a-deployers, applications, sync, team-a/prod-*, deny',
    });
    expect(await engine.enforce(['bob'], 'applications', 'get', 'team-a/web', teamA)).toBe(true);
    expect(await engine.enforce(['team-a-deployers'], 'applications', 'sync', 'team-a/prod-db', teamA)).toBe(false);
    expect(await engine.enforce(['team-a-deployers'], 'applications', 'sync', 'team-a/web', teamA)).toBe(true);
  });

  it('rebuilds when a project policy changes', async () => {
    const engine = await engineFor({});
    expect(await engine.enforce(['team-a-deployers'], 'applications', 'sync', 'team-a/web', teamA)).toBe(true);
    const tightened = { project: 'team-a', policy: { rules: [], links: teamA.policy.links } };
    expect(await engine.enforce(['team-a-deployers'], 'applications', 'sync', 'team-a/web', tightened)).toBe(false);
  });
});

describe('memoised decisions (one casbin enforce per distinct object signature)', () => {
  it('answers exactly as a fresh engine asked once per request, over many objects, modes and subjects', async () => {
    const policies: Record<string, string>[] = [
      {},
      { 'policy.default': '' },
      {
        'policy.default': '',
        'policy.csv': [
          'p, role:team, applications, *, team-*/*, allow',
          'p, role:team, applications, delete, team-1/*, deny',
          'p, role:team, applications, sync, team-2/web-?, allow',
          'p, alice, applications, get, "other/{a,b}*", allow',
          'p, role:team, applications, get, team-3/secret, deny',
          'g, devs, role:team',
        ].join('\n'),
      },
      {
        'policy.matchMode': 'regex',
        'policy.csv': 'p, role:r, applications, get, ^team-[12]/.*$, allow\ng, devs, role:r',
      },
    ];
    const objects = [
      'team-1/a',
      'team-1/web-1',
      'team-2/web-1',
      'team-2/web-12',
      'team-3/secret',
      'team-3/x',
      'other/a1',
      'other/c',
      'x/y',
    ];
    const subjects = [['alice'], ['bob', 'devs'], ['admin'], ['carol', 'ops']];
    for (const data of policies) {
      const memoised = await engineFor(data);
      for (let round = 0; round < 2; round++) {
        for (const s of subjects)
          for (const action of ['get', 'sync', 'delete'])
            for (const object of objects) {
              const fresh = await engineFor(data);
              const want = await fresh.enforce(s, 'applications', action, object);
              expect(
                await memoised.enforce(s, 'applications', action, object),
                `${JSON.stringify(data)} ${s} ${action} ${object}`,
              ).toBe(want);
            }
      }
    }
  });
});

describe('enforceMany (a list filter)', () => {
  it('answers each object as enforce does, in order, with and without a project policy', async () => {
    const engine = await engineFor({
      'policy.default': '',
      'policy.csv':
        'p, role:team, applications, get, team-a/*, allow\np, role:team, applications, get, team-a/secret, deny\ng, devs, role:team',
    });
    const objects = ['team-a/web', 'team-a/secret', 'team-b/web', 'team-a/api'];
    const one = await Promise.all(objects.map((o) => engine.enforce(['bob', 'devs'], 'applications', 'get', o)));
    expect(one).toEqual([true, false, false, true]);
    expect(await engine.enforceMany(['bob', 'devs'], 'applications', 'get', objects)).toEqual(one);
    const project = {
      project: 'team-b',
      policy: parsePolicyCsv('p, proj:team-b:ci, applications, get, team-b/*, allow\ng, devs, proj:team-b:ci', {
        path: 't',
      }).policy,
    };
    expect(
      await engine.enforceMany(['bob', 'devs'], 'applications', 'get', ['team-b/web', 'team-b/x'], project),
    ).toEqual([true, true]);
    expect(await engine.enforceMany(['eve'], 'applications', 'get', ['team-b/web'], project)).toEqual([false]);
  });
});
