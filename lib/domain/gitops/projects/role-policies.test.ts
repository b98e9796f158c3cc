import { describe, expect, it } from 'vitest';
import { ZAppProject } from './app-project-schema';
import { policyProblem, projectPolicyLines } from './role-policies';

const check = (policy: string) => policyProblem('my-proj', 'my-role', policy);

describe('policyProblem (AppProject validatePolicy)', () => {
  it.each([
    [
      'g, proj:my-proj:my-role, applications, get, my-proj/*, allow',
      "must be of the form: 'p, sub, res, act, obj, eft'",
    ],
    ['p, not, enough, parts', "must be of the form: 'p, sub, res, act, obj, eft'"],
    ['p, has, too, many, parts, to, split', "must be of the form: 'p, sub, res, act, obj, eft'"],
    ['p, , applications, get, my-proj/*, allow', "policy subject must be: 'proj:my-proj:my-role'"],
    ['p, proj:my-proj, applications, get, my-proj/*, allow', "policy subject must be: 'proj:my-proj:my-role'"],
    ['p, proj:my-proj:, applications, get, my-proj/*, allow', "policy subject must be: 'proj:my-proj:my-role'"],
    ['p, ::, applications, get, my-proj/*, allow', "policy subject must be: 'proj:my-proj:my-role'"],
    [
      'p, proj:different-my-proj:my-role, applications, get, my-proj/*, allow',
      "policy subject must be: 'proj:my-proj:my-role'",
    ],
    ['p, proj:my-proj:my-role, , get, my-proj/*, allow', 'resource must be one of applications'],
    ['p, proj:my-proj:my-role, applicationz, get, my-proj/*, allow', 'resource must be one of applications'],
    ['p, proj:my-proj:my-role, projects, get, my-proj, allow', 'resource must be one of applications'],
    ['p, proj:my-proj:my-role, applications, , my-proj/*, allow', 'invalid action'],
    ['p, proj:my-proj:my-role, applications, foo, my-proj/*, allow', 'invalid action'],
    ['p, proj:my-proj:my-role, applications, get, my-proj/, allow', 'object must be of form'],
    ['p, proj:my-proj:my-role, applications, get, /, allow', 'object must be of form'],
    ['p, proj:my-proj:my-role, applications, get, different-my-proj/*, allow', 'object must be of form'],
    ['p, proj:my-proj:my-role, applications, get, my-proj/*, ', "effect must be: 'allow' or 'deny'"],
    ['p, proj:my-proj:my-role, applications, get, my-proj/*, foo', "effect must be: 'allow' or 'deny'"],
  ])('TestAppProject_InvalidPolicyRules: %s', (policy, message) => {
    expect(check(policy)).toContain(message);
  });

  it.each([
    'p,proj:my-proj:my-role,applications,get,my-proj/*,allow',
    'p, proj:my-proj:my-role, applications, get, my-proj/*, allow',
    'p, proj:my-proj:my-role, applications, get, my-proj/*, deny',
    'p, proj:my-proj:my-role, applications, get, my-proj/*-*, allow',
    'p, proj:my-proj:my-role, applications, get, my-proj/*.*, allow',
    'p, proj:my-proj:my-role, applications, *, my-proj/foo, allow',
    'p, proj:my-proj:my-role, applications, update/*/Pod/*, my-proj/foo, allow',
    'p, proj:my-proj:my-role, applications, delete/*, my-proj/foo, allow',
    'p, proj:my-proj:my-role, applications, action/apps/Deployment/restart, my-proj/foo, allow',
    'p, proj:my-proj:my-role, pipelineruns, cancel, my-proj/*, allow',
    'p, proj:my-proj:my-role, pipelines, get, my-proj/build, allow',
  ])('TestAppProject_ValidPolicyRules: %s', (policy) => {
    expect(check(policy)).toBeNull();
  });

  it('ZAppProject refuses a role policy outside its project with the policy path', () => {
    const result = ZAppProject.safeParse({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'my-proj' },
      spec: { roles: [{ name: 'ci', policies: ['p, proj:my-proj:ci, applications, sync, other/*, allow'] }] },
    });
    expect(result.success ? [] : result.error.issues.map((i) => i.path.join('.'))).toEqual(['spec.roles.0.policies.0']);
  });
});

describe('projectPolicyLines (AppProject.ProjectPoliciesString)', () => {
  it("adds get on the project per role, the role's policies and a g line per group", () => {
    const roles = [
      {
        name: 'read-only',
        policies: ['p, proj:my-proj:read-only, applications, get, my-proj/*, allow'],
        groups: ['devs'],
      },
      { name: 'ci' },
    ];
    expect(projectPolicyLines('my-proj', roles)).toEqual([
      'p, proj:my-proj:read-only, projects, get, my-proj, allow',
      'p, proj:my-proj:read-only, applications, get, my-proj/*, allow',
      'g, devs, proj:my-proj:read-only',
      'p, proj:my-proj:ci, projects, get, my-proj, allow',
    ]);
    expect(projectPolicyLines('my-proj', undefined)).toEqual([]);
  });
});
