import { describe, expect, it } from 'vitest';
import { ssoIdentityFromProfile } from './sso-identity-from-profile';

describe('ssoIdentityFromProfile', () => {
  it('reads the standard claims and a list of groups', () => {
    const profile = { preferred_username: 'ada', email: 'ada@example.com', name: 'Ada', roles: ['dev', 7, 'ops'] };
    expect(ssoIdentityFromProfile('oidc', 'sub-1', profile, ['roles'])).toEqual({
      provider: 'oidc',
      subject: 'sub-1',
      preferredUsername: 'ada',
      email: 'ada@example.com',
      name: 'Ada',
      groups: ['dev', 'ops'],
    });
  });

  it.each([
    ['one string', { groups: 'dev' }, ['dev']],
    ['an empty string', { groups: '' }, []],
    ['another type', { groups: 3 }, []],
    ['no claim', {}, []],
  ])('takes groups from %s', (_what, profile, groups) => {
    expect(ssoIdentityFromProfile('oidc', 's', profile, ['groups']).groups).toEqual(groups);
  });

  it('reads every claim the RBAC scopes name, without repeats', () => {
    const profile = { groups: ['dev', 'ops'], email: 'ada@example.com', roles: 'ops' };
    expect(ssoIdentityFromProfile('oidc', 's', profile, ['groups', 'roles', 'email']).groups).toEqual([
      'dev',
      'ops',
      'ada@example.com',
    ]);
  });

  it.each([null, undefined, 'text', 42])('reads nothing from a profile that is not an object (%s)', (profile) => {
    expect(ssoIdentityFromProfile('oidc', 's', profile, ['groups'])).toEqual({
      provider: 'oidc',
      subject: 's',
      preferredUsername: undefined,
      email: undefined,
      name: undefined,
      groups: [],
    });
  });
});
