import { describe, expect, it } from 'vitest';
import { logsQuery, parseSince } from './app-logs-args';

describe('keelson app logs flags', () => {
  it('reads --since as kubectl does', () => {
    expect(parseSince('90')).toBe(90);
    expect(parseSince('30s')).toBe(30);
    expect(parseSince('10m')).toBe(600);
    expect(parseSince('1h30m')).toBe(5400);
    expect(parseSince('0s')).toBeUndefined();
    expect(parseSince('10 minutes')).toBeUndefined();
    expect(parseSince('-5m')).toBeUndefined();
  });

  it('builds the query of the logs stream from the flags', () => {
    const q = logsQuery({
      kind: 'Deployment',
      name: 'web',
      namespace: 'team',
      pod: 'web-1',
      container: 'app',
      follow: true,
      previous: true,
      tail: '50',
      since: '10m',
    });
    expect(q).toBeInstanceOf(URLSearchParams);
    expect(Object.fromEntries(q as URLSearchParams)).toEqual({
      kind: 'Deployment',
      resourceName: 'web',
      timestamps: 'true',
      namespace: 'team',
      podName: 'web-1',
      container: 'app',
      follow: 'true',
      previous: 'true',
      tailLines: '50',
      sinceSeconds: '600',
    });
    expect(Object.fromEntries(logsQuery({ kind: 'Pod', name: 'p' }) as URLSearchParams)).toEqual({
      kind: 'Pod',
      resourceName: 'p',
      timestamps: 'true',
    });
  });

  it('says how to fix a missing --name or a bad --tail or --since', () => {
    expect(logsQuery({ kind: 'Pod' })).toEqual({ usage: expect.stringMatching(/give --name/) });
    expect(logsQuery({ kind: 'Pod', name: 'p', tail: 'ten' })).toEqual({ usage: expect.stringMatching(/--tail/) });
    expect(logsQuery({ kind: 'Pod', name: 'p', since: 'yesterday' })).toEqual({
      usage: expect.stringMatching(/--since must be a duration/),
    });
  });
});
