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

describe('canSync: upstream TestSyncWindows_CanSync table (projectBuilder windows, a fixed instant)', () => {
  const now = at('2026-03-02T10:30:00Z');
  const target = { applications: ['app1'], namespaces: ['public'] };
  const testApp: SyncWindowApp = { name: 'app1', destination: { server: 'cluster1', namespace: 'default' } };
  const active = (kind: 'allow' | 'deny', manualSync: boolean) =>
    win({ kind, schedule: '* * * * *', manualSync, ...target });
  const inactive = (kind: 'allow' | 'deny', manualSync: boolean) =>
    win({ kind, schedule: '0 20 * * *', manualSync, ...target });
  it.each<[string, TSyncWindow[], boolean, boolean]>([
    ['will allow manual sync if inactive-deny-window set with manual true', [inactive('deny', true)], true, true],
    ['will allow manual sync if inactive-deny-window set with manual false', [inactive('deny', false)], true, true],
    [
      'will deny manual sync if one inactive-allow-windows set with manual false',
      [inactive('allow', true), inactive('allow', false)],
      true,
      false,
    ],
    ['will allow manual sync if on active-allow-window set with manual true', [active('allow', true)], true, true],
    ['will allow manual sync if on active-allow-window set with manual false', [active('allow', false)], true, true],
    ['will allow auto sync if on active-allow-window', [active('allow', false)], false, true],
    [
      'will allow manual sync active-allow and inactive-deny',
      [active('allow', false), inactive('deny', false)],
      true,
      true,
    ],
    [
      'will allow auto sync active-allow and inactive-deny',
      [active('allow', false), inactive('deny', false)],
      false,
      true,
    ],
    ['will deny manual sync inactive-allow', [inactive('allow', false)], true, false],
    ['will deny auto sync inactive-allow', [inactive('allow', false)], false, false],
    ['will allow manual sync inactive-allow with ManualSync enabled', [inactive('allow', true)], true, true],
    ['will deny auto sync inactive-allow with ManualSync enabled', [inactive('allow', true)], false, false],
    [
      'will deny manual sync with inactive-allow and inactive-deny',
      [inactive('allow', false), inactive('deny', false)],
      true,
      false,
    ],
    [
      'will deny auto sync with inactive-allow and inactive-deny',
      [inactive('allow', false), inactive('deny', false)],
      false,
      false,
    ],
    [
      'will allow auto sync with active-allow and inactive-allow',
      [active('allow', false), inactive('allow', false)],
      false,
      true,
    ],
    ['will deny manual sync with active-deny', [active('deny', false)], true, false],
    ['will deny auto sync with active-deny', [active('deny', false)], false, false],
    ['will allow manual sync with active-deny with ManualSync enabled', [active('deny', true)], true, true],
    ['will deny auto sync with active-deny with ManualSync enabled', [active('deny', true)], false, false],
    [
      'will deny manual sync with many active-deny having one with ManualSync disabled',
      [active('deny', true), active('deny', true), active('deny', false)],
      true,
      false,
    ],
    [
      'will deny manual sync with active-deny and active-allow windows with ManualSync disabled',
      [active('allow', false), active('deny', false)],
      true,
      false,
    ],
    [
      'will allow manual sync with active-deny and active-allow windows with ManualSync enabled',
      [active('allow', false), active('deny', true)],
      true,
      true,
    ],
    [
      'will deny auto sync with active-deny and active-allow windows with ManualSync enabled',
      [active('allow', false), active('deny', true)],
      false,
      false,
    ],
  ])('%s', (_name, windows, manual, expected) => {
    expect(canSync(windows, testApp, now, { manual }).permitted).toBe(expected);
  });
});

describe('activeSpan: upstream TestSyncWindow_Active table', () => {
  const w = (kind: 'allow' | 'deny') => win({ kind, schedule: '* 10 * * *', duration: '2h' });
  it.each<[string, 'allow' | 'deny', string, boolean]>([
    ['Allow-active', 'allow', '2026-03-02T11:00:00Z', true],
    ['Allow-inactive', 'allow', '2026-03-02T13:00:00Z', false],
    ['Deny-active', 'deny', '2026-03-02T11:00:00Z', true],
    ['Deny-inactive', 'deny', '2026-03-02T13:00:00Z', false],
    ['Allow-active-NonUTC (07:00 at UTC-4 is 11:00 UTC)', 'allow', '2026-03-02T07:00:00-04:00', true],
    ['Deny-inactive-NonUTC (09:00 at UTC-4 is 13:00 UTC)', 'deny', '2026-03-02T09:00:00-04:00', false],
  ])('%s', (_name, kind, iso, expected) => {
    expect(activeSpan(w(kind), at(iso)) !== null).toBe(expected);
  });
});

describe('schedule semantics', () => {
  it("without timeZone the schedule is UTC, whatever the process's zone (Argo CD converts to UTC)", () => {
    const previous = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(activeSpan(win({}), at('2026-03-02T10:30:00Z'))).not.toBeNull();
      expect(activeSpan(win({}), at('2026-03-02T15:30:00Z'))).toBeNull();
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('day-of-month and day-of-week both restricted means either (robfig/cron, standard cron)', () => {
    const w = win({ schedule: '0 0 1 * 1' });
    expect(activeSpan(w, at('2026-03-02T00:30:00Z'))).not.toBeNull(); // a Monday
    expect(activeSpan(w, at('2026-04-01T00:30:00Z'))).not.toBeNull(); // the 1st, a Wednesday
    expect(activeSpan(w, at('2026-03-04T00:30:00Z'))).toBeNull();
  });
});
