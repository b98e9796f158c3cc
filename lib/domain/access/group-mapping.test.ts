import { describe, expect, it } from 'vitest';
import { withGroupMapping } from './group-mapping';
import { rbacConfigFromData } from './rbac-config';

describe('withGroupMapping', () => {
  it('appends one g line to policy.csv, keeping every other key', () => {
    const data = { 'policy.default': 'role:readonly', 'policy.csv': 'p, role:x, applications, get, */*, allow\n\n' };
    const mapped = withGroupMapping(data, 'viewers', 'role:admin');
    expect(mapped).toEqual({
      'policy.default': 'role:readonly',
      'policy.csv': 'p, role:x, applications, get, */*, allow\ng, viewers, role:admin\n',
    });
    const parsed = rbacConfigFromData(mapped);
    expect(parsed.ok && parsed.config.policy.links).toEqual([{ subject: 'viewers', role: 'role:admin' }]);
  });

  it('starts policy.csv when there is none', () => {
    expect(withGroupMapping({}, 'my-org:team-alpha', 'role:readonly')).toEqual({
      'policy.csv': 'g, my-org:team-alpha, role:readonly\n',
    });
  });
});

describe('withGroupMapping with CSV characters', () => {
  it('quotes a group holding a comma or a quote, so the line reads back as that group', () => {
    const mapped = withGroupMapping({}, 'cn=ops,dc="acme"', 'role:admin');
    expect(mapped['policy.csv']).toBe('g, "cn=ops,dc=""acme""", role:admin\n');
    const parsed = rbacConfigFromData(mapped);
    expect(parsed.ok && parsed.config.policy.links).toEqual([{ subject: 'cn=ops,dc="acme"', role: 'role:admin' }]);
  });
});
