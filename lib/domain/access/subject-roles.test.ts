import { describe, expect, it } from 'vitest';
import { rolesOfSubjects } from './subject-roles';

const links = [
  { subject: 'alice', role: 'team-lead' },
  { subject: 'team-lead', role: 'role:admin' },
  { subject: 'role:admin', role: 'role:readonly' },
  { subject: 'devs', role: 'role:deployer' },
  { subject: 'role:deployer', role: 'devs' },
];

describe('rolesOfSubjects', () => {
  it('follows g lines from the username and each group, roles inheriting roles, breadth first', () => {
    expect(rolesOfSubjects(['alice', 'devs'], links)).toEqual([
      'team-lead',
      'role:deployer',
      'role:admin',
      'role:readonly',
    ]);
  });

  it('matches subjects exactly (no globs) and survives cycles', () => {
    expect(rolesOfSubjects(['alice2'], links)).toEqual([]);
    expect(rolesOfSubjects(['role:deployer'], links)).toEqual(['devs']);
  });
});
