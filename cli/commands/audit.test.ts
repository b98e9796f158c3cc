import { describe, expect, it } from 'vitest';
import type { TAuditEntry } from '../../lib/schemas/audit';
import { formatAuditList } from './audit';

const row = (over: Partial<TAuditEntry>): TAuditEntry => ({
  id: '1',
  at: '2026-01-01T12:00:00.000Z',
  actor: 'admin',
  via: 'cli',
  action: 'application.update',
  target: 'application/web',
  result: 'success',
  ip: '203.0.113.7',
  details: { diff: [{ op: 'replace', path: '/spec/source/targetRevision', value: 'v2' }] },
  ...over,
});

describe('keelson audit list', () => {
  it('prints time, user, via, action, object and result, and where the next page starts', () => {
    const text = formatAuditList(
      { items: [row({}), row({ via: null, target: null, details: null })], total: 5, limit: 2, offset: 0 },
      false,
    );
    expect(text.split('\n')).toEqual([
      'TIME                       USER    VIA   ACTION               OBJECT            RESULT',
      '2026-01-01T12:00:00.000Z   admin   cli   application.update   application/web   success',
      '2026-01-01T12:00:00.000Z   admin   -     application.update   -                 success',
      '1-2 of 5 (next: --offset 2)',
    ]);
  });

  it('-o wide adds the address and the diff paths (never values)', () => {
    const text = formatAuditList({ items: [row({})], total: 1, limit: 50, offset: 0 }, true);
    expect(text).toContain('203.0.113.7   replace /spec/source/targetRevision');
    expect(text).not.toContain('v2');
    expect(text.endsWith('1-1 of 1')).toBe(true);
  });
});
