/**
 * Argo CD's sync windows (SyncWindows.Matches / Active / InactiveAllows / CanSync), pure: the instant is an
 * argument. A window is active from each occurrence of its cron schedule (read in its timeZone, UTC when absent)
 * for its duration: [start, start + duration). Unlike Argo CD, which applies the zone's current UTC offset to
 * every occurrence, the schedule is evaluated in the zone itself, so daylight-saving changes are honoured.
 */
import type { TSyncWindow } from './app-project-schema';
import { globMatch } from './glob';
import { parseCronSchedule, parseGoDuration } from './sync-window-time';

export interface SyncWindowApp {
  name: string;
  destination: { server?: string; name?: string; namespace?: string };
}

/** Whether a window applies to the app: any given list matching (all of them with `andOperator`). */
export function windowMatches(w: TSyncWindow, app: SyncWindowApp): boolean {
  const dst = app.destination;
  const checks: boolean[] = [];
  if (w.applications?.length) checks.push(w.applications.some((a) => globMatch(a, app.name)));
  if (w.clusters?.length) {
    checks.push(
      w.clusters.some((c) => (!!dst.name && globMatch(c, dst.name)) || (!!dst.server && globMatch(c, dst.server))),
    );
  }
  if (w.namespaces?.length) checks.push(w.namespaces.some((n) => globMatch(n, dst.namespace ?? '')));
  if (checks.length === 0) return false;
  return w.andOperator ? checks.every(Boolean) : checks.some(Boolean);
}

/** The windows that apply to the app (SyncWindows.Matches). */
export function matchingWindows(windows: readonly TSyncWindow[] | undefined, app: SyncWindowApp): TSyncWindow[] {
  return (windows ?? []).filter((w) => windowMatches(w, app));
}

/** The current occurrence of the window at `at`, or null when the window is not active (or invalid). */
export function activeSpan(w: TSyncWindow, at: Date): { start: Date; end: Date } | null {
  const cron = parseCronSchedule(w.schedule, w.timeZone);
  const duration = parseGoDuration(w.duration);
  if (!cron || duration === undefined || duration <= 0) return null;
  // The first occurrence strictly after at - duration is the current one when it has already begun.
  const start = cron.nextRun(new Date(at.getTime() - duration));
  if (!start || start.getTime() > at.getTime()) return null;
  return { start, end: new Date(start.getTime() + duration) };
}

export function isWindowActive(w: TSyncWindow, at: Date): boolean {
  return activeSpan(w, at) !== null;
}

/** The windows active at `at` (SyncWindows.Active). */
export function activeWindows(windows: readonly TSyncWindow[], at: Date): TSyncWindow[] {
  return windows.filter((w) => isWindowActive(w, at));
}

/** The allow windows not active at `at` (SyncWindows.InactiveAllows); invalid ones are left out, as upstream. */
export function inactiveAllows(windows: readonly TSyncWindow[], at: Date): TSyncWindow[] {
  return windows.filter(
    (w) =>
      w.kind === 'allow' &&
      parseCronSchedule(w.schedule, w.timeZone) !== null &&
      parseGoDuration(w.duration) !== undefined &&
      !isWindowActive(w, at),
  );
}

export interface SyncWindowDecision {
  permitted: boolean;
  /** The windows that decided (empty when no window applies). */
  windows: TSyncWindow[];
  reason: string;
}

const label = (w: TSyncWindow) => `${w.kind} '${w.schedule}' for ${w.duration}${w.timeZone ? ` (${w.timeZone})` : ''}`;

/**
 * SyncWindows.CanSync over the windows matching the app: an active deny window blocks (a manual sync passes only
 * when every active deny window has manualSync); else an active allow window permits; else, when allow windows
 * exist but none is active, only a manual sync passes and only when all of them have manualSync.
 */
export function canSync(
  windows: readonly TSyncWindow[] | undefined,
  app: SyncWindowApp,
  at: Date,
  opts: { manual: boolean },
): SyncWindowDecision {
  const matching = matchingWindows(windows, app);
  if (matching.length === 0) return { permitted: true, windows: [], reason: 'no sync window applies' };
  const active = activeWindows(matching, at);
  const denies = active.filter((w) => w.kind === 'deny');
  if (denies.length > 0) {
    const manualOk = opts.manual && denies.every((w) => w.manualSync === true);
    const names = denies.map(label).join(', ');
    return manualOk
      ? { permitted: true, windows: denies, reason: `manual sync allowed during deny window ${names}` }
      : { permitted: false, windows: denies, reason: `blocked by deny window ${names}` };
  }
  const allows = active.filter((w) => w.kind === 'allow');
  if (allows.length > 0) {
    return { permitted: true, windows: allows, reason: `allow window ${allows.map(label).join(', ')} is active` };
  }
  const inactive = inactiveAllows(matching, at);
  if (inactive.length > 0) {
    const names = inactive.map(label).join(', ');
    return opts.manual && inactive.every((w) => w.manualSync === true)
      ? { permitted: true, windows: inactive, reason: `manual sync allowed outside allow window ${names}` }
      : { permitted: false, windows: inactive, reason: `outside allow window ${names}` };
  }
  return { permitted: true, windows: [], reason: 'no active sync window restricts syncing' };
}
