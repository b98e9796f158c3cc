import { describe, expect, it } from 'vitest';
import { accountSourceOf, policySubjects, screenScopeValues } from './policy-subjects';

describe('policySubjects', () => {
  it('an SSO user is known by its scope values only, never its username', () => {
    expect(policySubjects({ username: 'platform-admins', groups: ['devs'], source: 'sso' })).toEqual(['devs']);
    expect(policySubjects({ username: 'bob', groups: [], source: 'sso' })).toEqual([]);
    // Groups a login stored before they were screened still grant nothing.
    const stored = ['admin', 'role:admin', 'proj:a:dev', 'devs'];
    expect(policySubjects({ username: 'eve', groups: stored, source: 'sso' })).toEqual(['devs']);
  });

  it('a local account, a project token or a trigger service account is known by its username, then its groups', () => {
    expect(policySubjects({ username: 'bob', groups: [], source: 'local' })).toEqual(['bob']);
    expect(policySubjects({ username: 'proj:a:ci', groups: [] })).toEqual(['proj:a:ci']);
    expect(policySubjects({ username: 'alice', groups: ['team-a', 'alice', ''] })).toEqual(['alice', 'team-a']);
  });

  it('reads the users table source column: local, or a provider', () => {
    expect(accountSourceOf('local')).toBe('local');
    expect(accountSourceOf('oidc')).toBe('sso');
  });
});

describe('screenScopeValues', () => {
  it('drops role:…, proj:… and local account names, keeping the order of the rest', () => {
    const values = ['admin', 'role:admin', 'proj:team-a:dev', 'devs', 'my-org:team', 'bob'];
    expect(screenScopeValues(values, ['admin', 'bob'])).toEqual({
      kept: ['devs', 'my-org:team'],
      dropped: ['admin', 'role:admin', 'proj:team-a:dev', 'bob'],
    });
  });
});
