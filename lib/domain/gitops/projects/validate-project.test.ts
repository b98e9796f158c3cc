import { describe, expect, it } from 'vitest';
import { ZAppProject } from './app-project-schema';

const project = (spec: Record<string, unknown>) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'my-proj' },
  spec,
});

function issues(spec: Record<string, unknown>): string[] {
  const result = ZAppProject.safeParse(project(spec));
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('validateProjectSpec (AppProject.ValidateProject)', () => {
  it("TestAppProject_ValidateSources: '!*' and duplicate repos are refused", () => {
    expect(issues({ sourceRepos: ['*'] })).toEqual([]);
    expect(issues({ sourceRepos: ['!*'] })).toEqual(["spec.sourceRepos.0: '!*' would refuse every repository"]);
    expect(issues({ sourceRepos: ['foo', 'foo'] })).toEqual([
      "spec.sourceRepos.1: source repository 'foo' already added",
    ]);
  });

  it("TestAppProject_ValidateDestinations: '!*' server, name or namespace and duplicates are refused", () => {
    expect(issues({ destinations: [{ server: '*', namespace: 'some-namespace' }] })).toEqual([]);
    expect(issues({ destinations: [{ server: '!*', namespace: '*' }] })).toEqual([
      "spec.destinations.0.server: '!*' would refuse everything",
    ]);
    expect(issues({ destinations: [{ name: 'c', namespace: '!*' }] })).toEqual([
      "spec.destinations.0.namespace: '!*' would refuse everything",
    ]);
    const d = { server: 'some-server', namespace: 'some-namespace' };
    expect(issues({ destinations: [d, d] })).toHaveLength(1);
    // Same namespace, distinct cluster names: allowed.
    expect(
      issues({
        destinations: [
          { name: 'cluster1', namespace: 'ns' },
          { name: 'cluster2', namespace: 'ns' },
        ],
      }),
    ).toEqual([]);
  });

  it('TestAppProject_ValidateRoleName: bad role names refused, good ones kept', () => {
    for (const bad of [' ', 'my role', 'my,role', 'my\nrole', 'my:role', 'my-role-', '-my-role']) {
      expect(issues({ roles: [{ name: bad }] })).toHaveLength(1);
    }
    for (const good of ['MY-ROLE', '1MY-ROLE1', 'ci_role']) expect(issues({ roles: [{ name: good }] })).toEqual([]);
    expect(issues({ roles: [{ name: 'a' }, { name: 'a' }] })).toEqual(["spec.roles.1: role 'a' already added"]);
  });

  it('TestAppProject_ValidateGroupName: blank, comma, newline or padded group names refused; my:group allowed', () => {
    for (const bad of [' ', 'my, group', 'my,group', 'my\ngroup', 'my\rgroup', ' my:group', 'my:group ']) {
      expect(issues({ roles: [{ name: 'r', groups: [bad] }] })).toHaveLength(1);
    }
    expect(issues({ roles: [{ name: 'r', groups: ['my:group'] }] })).toEqual([]);
  });

  it('ValidateProject: a sync window needs a target, and kind+schedule+duration is unique', () => {
    const w = { kind: 'deny', schedule: '0 22 * * *', duration: '1h' };
    expect(issues({ syncWindows: [w] })).toEqual([
      'spec.syncWindows.0: a window needs applications, namespaces or clusters',
    ]);
    const targeted = { ...w, namespaces: ['default'] };
    expect(issues({ syncWindows: [targeted, { ...targeted, namespaces: ['other'] }] })).toEqual([
      "spec.syncWindows.1: window 'deny:0 22 * * *:1h' already added",
    ]);
  });
});
