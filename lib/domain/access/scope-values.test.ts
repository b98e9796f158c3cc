import { describe, expect, it } from 'vitest';
import { scopeValues } from './scope-values';

describe('scopeValues', () => {
  it('reads list and string claims named by the scopes, in scope order, without repeats', () => {
    const claims = { groups: ['team-a', 'ops', 7], email: 'dana@example.test', 'cognito:groups': ['ops'] };
    expect(scopeValues(claims, ['groups'])).toEqual(['team-a', 'ops']);
    expect(scopeValues(claims, ['groups', 'email', 'cognito:groups'])).toEqual(['team-a', 'ops', 'dana@example.test']);
  });

  it('ignores missing and non-string claims', () => {
    expect(scopeValues({ groups: { admin: true } }, ['groups', 'roles'])).toEqual([]);
  });
});
