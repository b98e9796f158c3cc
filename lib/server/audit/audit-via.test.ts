import { describe, expect, it } from 'vitest';
import { auditKinds, isTimeBound, timeBound } from '@/lib/domain/audit/audit-filter';
import { cliUserAgent, isCliUserAgent } from '@/lib/domain/audit/cli-user-agent';
import type { Principal } from '../principal';
import { auditBy, auditVia } from './audit-via';
import { requestClient, withClient } from './principal-client';

const p = (via: Principal['via'], client?: Principal['client']): Principal => ({
  userId: 'u',
  username: 'alice',
  name: null,
  role: 'user',
  groups: [],
  via,
  ...(client ? { client } : {}),
});

describe('auditVia', () => {
  it('names the channel: session → ui, token → cli or api, the service identities as themselves', () => {
    expect(auditVia(p('session'))).toBe('ui');
    expect(auditVia(p('token', 'cli'))).toBe('cli');
    expect(auditVia(p('token', 'api'))).toBe('api');
    expect(auditVia(p('token'))).toBe('api');
    expect(auditVia(p('project-token', 'cli'))).toBe('project-token');
    expect(auditVia(p('trigger'))).toBe('trigger');
    expect(auditVia(p('controller'))).toBe('controller');
    expect(auditVia(undefined)).toBe('system');
    expect(auditBy(p('session'))).toEqual({ actor: 'alice', via: 'ui' });
  });

  it("the request's client comes from the session or the CLI's User-Agent", () => {
    expect(requestClient('session', cliUserAgent('1.0.0'))).toBe('ui');
    expect(requestClient('token', cliUserAgent('1.0.0'))).toBe('cli');
    expect(requestClient('token', 'Mozilla/5.0')).toBe('api');
    expect(withClient(undefined, null)).toBeUndefined();
    expect(withClient(p('token'), 'keelson-cli/2.0.0')?.client).toBe('cli');
    expect(isCliUserAgent('not-keelson-cli/1')).toBe(false);
  });
});

describe('audit filters', () => {
  it('reads RFC 3339 times and durations back from now, nothing else', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(timeBound('90m', now)?.toISOString()).toBe('2026-01-01T10:30:00.000Z');
    expect(timeBound('7d', now)?.toISOString()).toBe('2025-12-25T12:00:00.000Z');
    expect(timeBound('2026-01-01T11:00:00+01:00', now)?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(timeBound('2026-01-01', now)?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    for (const bad of ['yesterday', '1y', '2026-13-01T00:00:00Z', '2026-01-01T10:00', '-1h', ''])
      expect(isTimeBound(bad), bad).toBe(false);
  });

  it('matches a resource in the singular and the plural', () => {
    expect(auditKinds('applications')).toEqual(['application', 'applications']);
    expect(auditKinds('Project')).toEqual(['project', 'projects']);
    expect(auditKinds('configmaps')).toEqual(['configmaps']);
  });
});
