import { describe, expect, it } from 'vitest';
import { auditEntry } from './audit-entry';

describe('auditEntry', () => {
  it('names the user as actor and records success, with details only when given', () => {
    expect(auditEntry({ username: 'ops' }, 'cluster.remove', 'cluster/prod')).toEqual({
      actor: 'ops',
      action: 'cluster.remove',
      target: 'cluster/prod',
      result: 'success',
    });
    expect(auditEntry({ username: 'ops' }, 'application.sync', 'application/web', { operation: 'o1' })).toMatchObject({
      details: { operation: 'o1' },
    });
  });
});
