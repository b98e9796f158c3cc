import { describe, expect, it } from 'vitest';
import { adminLockoutRule } from './admin-lockout';
import { parsePolicyCsv } from './policy-csv';

const policy = (csv: string) => parsePolicyCsv(csv, { path: 'policy.csv' }).policy;

describe('adminLockoutRule', () => {
  it('accepts policies that leave the local admin its accounts, update', () => {
    expect(adminLockoutRule(policy('p, role:dev, applications, sync, */*, allow\ng, dev, role:dev'))).toBeNull();
    expect(adminLockoutRule(policy('p, alice, accounts, update, *, deny'))).toBeNull();
    expect(adminLockoutRule(policy('p, role:admin, rbac, get, *, deny'))).toBeNull();
  });

  it('protects rbac, update (the right to rewrite argocd-rbac-cm) as well as accounts, update', () => {
    expect(adminLockoutRule(policy('p, role:admin, rbac, update, *, deny'))).toBe(
      'p, role:admin, rbac, update, *, deny',
    );
    expect(adminLockoutRule(policy('g, admin, role:x\np, role:x, rbac, *, *, deny'))).toBe(
      'p, role:x, rbac, *, *, deny',
    );
  });

  it('names a deny that reaches the admin directly, through role:admin or through a role it is given', () => {
    expect(adminLockoutRule(policy('p, admin, accounts, update, *, deny'))).toBe('p, admin, accounts, update, *, deny');
    expect(adminLockoutRule(policy('p, role:admin, *, *, *, deny'))).toBe('p, role:admin, *, *, *, deny');
    expect(adminLockoutRule(policy('g, admin, role:frozen\np, role:frozen, accounts, *, *, deny'))).toBe(
      'p, role:frozen, accounts, *, *, deny',
    );
  });
});
