import { describe, expect, it } from 'vitest';
import type { TSyncWindow } from './app-project-schema';
import {
  activeSpan,
  activeWindows,
  canSync,
  inactiveAllows,
  matchingWindows,
  type SyncWindowApp,
} from './sync-windows';

const app: SyncWindowApp = {
  name: 'guestbook-prod',
  destination: { server: 'https://kubernetes.default.svc', name: 'in-cluster', namespace: 'guestbook' },
};
const at = (iso: string) => new Date(iso);
// Every day 10:00–11:00 UTC unless a zone is given.
const win = (over: Partial<TSyncWindow>): TSyncWindow => ({
  kind: 'allow',
  schedule: '0 10 * * *',
  duration: '1h',
  applications: ['*'],
  ...over,
});

describe('sync window activity', () => {
  it('TestSyncWindow_Active: active from the scheduled minute for its duration, [start, end)', () => {
    const w = win({});
    expect(activeSpan(w, at('2026-03-02T09:59:59Z'))).toBeNull();
    expect(activeSpan(w, at('2026-03-02T10:00:00Z'))).toEqual({
      start: at('2026-03-02T10:00:00Z'),
      end: at('2026-03-02T11:00:00Z'),
    });
    expect(activeSpan(w, at('2026-03-02T10:59:59Z'))).not.toBeNull();
    expect(activeSpan(w, at('2026-03-02T11:00:00Z'))).toBeNull();
  });

  it('TestSyncWindow_Active: a duration longer than the period (1h30m every hour) keeps it active', () => {
    expect(activeSpan(win({ schedule: '0 * * * *', duration: '1h30m' }), at('2026-03-02T10:45:00Z'))).not.toBeNull();
    expect(activeSpan(win({ schedule: '0 * * * *', duration: '10m' }), at('2026-03-02T10:45:00Z'))).toBeNull();
  });

  it('TestSyncWindows_Active_TimeZone: the schedule is read in the window timeZone', () => {
    const paris = win({ timeZone: 'Europe/Paris' });
    // 10:00 in Paris is 09:00 UTC in winter and 08:00 UTC in summer.
    expect(activeSpan(paris, at('2026-01-15T09:30:00Z'))).not.toBeNull();
    expect(activeSpan(paris, at('2026-01-15T10:30:00Z'))).toBeNull();
    expect(activeSpan(paris, at('2026-07-15T08:30:00Z'))).not.toBeNull();
    expect(activeSpan(win({}), at('2026-01-15T09:30:00Z'))).toBeNull();
  });

  it('TestSyncWindows_Active / InactiveAllows: lists split by the instant', () => {
    const morning = win({});
    const night = win({ schedule: '0 22 * * *', kind: 'deny' });
    const evening = win({ schedule: '0 20 * * *' });
    const noon = at('2026-03-02T10:30:00Z');
    expect(activeWindows([morning, night, evening], noon)).toEqual([morning]);
    expect(inactiveAllows([morning, night, evening], noon)).toEqual([evening]);
  });
});

describe('matchingWindows (TestSyncWindows_Matches)', () => {
  it('matches by application, namespace or cluster (server or name) glob', () => {
    const byApp = win({ applications: ['*-prod'] });
    const byNs = win({ applications: undefined, namespaces: ['guest*'] });
    const byServer = win({ applications: undefined, clusters: ['https://kubernetes.*'] });
    const byName = win({ applications: undefined, clusters: ['in-cluster'] });
    const other = win({ applications: ['*-dev'], namespaces: ['kube-system'], clusters: ['prod-eu'] });
    expect(matchingWindows([byApp, byNs, byServer, byName, other], app)).toEqual([byApp, byNs, byServer, byName]);
  });

  it('a window with no lists matches nothing; andOperator needs every given list to match', () => {
    expect(matchingWindows([win({ applications: undefined })], app)).toEqual([]);
    const both = win({ applications: ['*-prod'], namespaces: ['kube-system'], andOperator: true });
    expect(matchingWindows([both], app)).toEqual([]);
    expect(matchingWindows([{ ...both, namespaces: ['guestbook'] }], app)).toHaveLength(1);
  });
});

describe('canSync (TestSyncWindows_CanSync)', () => {
  const inWindow = at('2026-03-02T10:30:00Z');
  const outside = at('2026-03-02T12:30:00Z');
  const auto = { manual: false };
  const manual = { manual: true };

  it('no windows: syncs are allowed', () => {
    expect(canSync(undefined, app, inWindow, auto)).toEqual({
      permitted: true,
      windows: [],
      reason: 'no sync window applies',
    });
    expect(canSync([win({ applications: ['other'], kind: 'deny' })], app, inWindow, auto).permitted).toBe(true);
  });

  it('an active deny window blocks automated and manual syncs', () => {
    const deny = win({ kind: 'deny' });
    expect(canSync([deny], app, inWindow, auto)).toEqual({
      permitted: false,
      windows: [deny],
      reason: "blocked by deny window deny '0 10 * * *' for 1h",
    });
    expect(canSync([deny], app, inWindow, manual).permitted).toBe(false);
    expect(canSync([deny], app, outside, auto).permitted).toBe(true);
  });

  it('manualSync on every active deny window lets a manual sync through, not an automated one', () => {
    const deny = win({ kind: 'deny', manualSync: true });
    expect(canSync([deny], app, inWindow, manual).permitted).toBe(true);
    expect(canSync([deny], app, inWindow, auto).permitted).toBe(false);
    const strict = win({ kind: 'deny', schedule: '30 9 * * *', duration: '2h' });
    expect(canSync([deny, strict], app, inWindow, manual).permitted).toBe(false);
  });

  it('deny wins over an active allow window', () => {
    expect(canSync([win({}), win({ kind: 'deny' })], app, inWindow, auto).permitted).toBe(false);
  });

  it('allow windows: syncs only while one is active; manualSync lets manual syncs through outside them', () => {
    const allow = win({});
    expect(canSync([allow], app, inWindow, auto).permitted).toBe(true);
    expect(canSync([allow], app, outside, auto)).toEqual({
      permitted: false,
      windows: [allow],
      reason: "outside allow window allow '0 10 * * *' for 1h",
    });
    expect(canSync([allow], app, outside, manual).permitted).toBe(false);
    expect(canSync([win({ manualSync: true })], app, outside, manual).permitted).toBe(true);
    expect(canSync([win({ manualSync: true })], app, outside, auto).permitted).toBe(false);
  });

  it('an active allow window permits even when another allow window is inactive', () => {
    expect(canSync([win({}), win({ schedule: '0 20 * * *' })], app, inWindow, auto).permitted).toBe(true);
  });

  it("the docs sample's windows: *-prod apps sync only 01:10–02:10 UTC, by hand any time", () => {
    const prodWindow = win({ schedule: '10 1 * * *', applications: ['*-prod'], manualSync: true });
    expect(canSync([prodWindow], app, at('2026-03-02T01:30:00Z'), auto).permitted).toBe(true);
    expect(canSync([prodWindow], app, at('2026-03-02T03:00:00Z'), auto).permitted).toBe(false);
    expect(canSync([prodWindow], app, at('2026-03-02T03:00:00Z'), manual).permitted).toBe(true);
  });
});
