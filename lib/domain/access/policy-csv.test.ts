import { describe, expect, it } from 'vitest';
import { BUILTIN_POLICY_CSV } from './builtin-policy';
import { parsePolicyCsv, splitPolicyLine, validatePolicyLine } from './policy-csv';

describe('policy CSV lines (Argo CD TestValidatePolicy / TestLoadPolicyLine)', () => {
  it.each([
    'p, role:admin, projects, delete, *, allow',
    '',
    '#',
    '# Some comment',
    'p, "role,admin", projects, delete, *, allow',
    ' p, role:admin, projects, delete, *, allow ',
    'p, role:Myrole, applications, *, myproj/*, allow',
    'g, your-github-org:your-team, role:org-admin',
    'p, role:ci, pipelineruns, cancel, team-a/*, deny',
    'p, role:ops, applications, action/apps/Deployment/restart, */*, allow',
  ])('accepts %j', (line) => {
    expect(validatePolicyLine(line)).toBeNull();
  });

  it.each([
    ['this, is, not, a, good, policy', /starts with "p," .* or "g,"/],
    ['this\ttoo', /starts with "p,"/],
    ['p', /5 fields after "p"/],
    ['Some comment', /starts with "p,"/],
    ['agh, foo, bar', /starts with "p,"/],
    ['p, role:Myrole, applications, *, myproj/* allow', /5 fields after "p"/],
    ['g, only-two', /g, subject, role/],
    ['p, role:x, applications, get, */*, maybe', /effect must be allow or deny/],
    ['p, role:x, widgets, get, *, allow', /unknown resource "widgets"/],
    ['p, role:x, pipelines, launch, */*, allow', /unknown action "launch"/],
    ['p, "role:x, pipelines, get, */*, allow', /unbalanced quotes/],
  ])('refuses %j', (line, message) => {
    expect(validatePolicyLine(line)).toMatch(message);
  });

  it('keeps a quoted field with a comma whole', () => {
    expect(splitPolicyLine('p, "role,admin", projects, delete, *, allow')).toEqual([
      'p',
      'role,admin',
      'projects',
      'delete',
      '*',
      'allow',
    ]);
  });

  it('names the field and the line number of each bad line', () => {
    const { issues, policy } = parsePolicyCsv('# roles\np, role:a, applications, get, */*, allow\nx, y\n\ng, z', {
      path: 'data["policy.csv"]',
    });
    expect(issues.map((i) => i.path)).toEqual(['data["policy.csv"] line 3', 'data["policy.csv"] line 5']);
    expect(policy.rules).toHaveLength(1);
  });

  it('skips the vocabulary check in regex mode, where resources are patterns', () => {
    expect(validatePolicyLine('p, alice, clus.+, get, .*, allow', { regex: true })).toBeNull();
    expect(validatePolicyLine('p, alice, clus.+, get, .*, allow')).toMatch(/unknown resource/);
  });

  it('parses the whole built-in policy without an issue', () => {
    const { issues, policy } = parsePolicyCsv(BUILTIN_POLICY_CSV, { path: 'builtin' });
    expect(issues).toEqual([]);
    expect(policy.links).toContainEqual({ subject: 'admin', role: 'role:admin' });
    expect(policy.rules.some((r) => r.resource === 'secrets' && r.subject === 'role:readonly')).toBe(false);
  });
});
