/**
 * When `npm start` restarts a child that exited (web, workers, the embedded Postgres), and when it gives up.
 * Pure: times are milliseconds given by the caller.
 *
 * - The first restart waits `firstDelayMs`; each further one doubles the wait, up to `maxDelayMs`.
 * - A child that was up `resetAfterMs` or longer before it exited starts over from `firstDelayMs`: one crash a day
 *   is not a crash loop.
 * - `crashLimit` exits within `crashWindowMs` stop everything: a child that cannot start (a bad setting, a port
 *   taken, a broken build) would otherwise restart forever while the installation looks up.
 */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  resetAfterMs: number;
  crashLimit: number;
  crashWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 1000,
  maxDelayMs: 30_000,
  resetAfterMs: 60_000,
  crashLimit: 5,
  crashWindowMs: 60_000,
};

/** What a child's earlier exits left: the last wait (0 before any) and when it exited within the window. */
export interface RestartHistory {
  lastDelayMs: number;
  exits: readonly number[];
}

export const NO_RESTARTS: RestartHistory = { lastDelayMs: 0, exits: [] };

export type RestartDecision =
  | { kind: 'restart'; delayMs: number; history: RestartHistory }
  | { kind: 'give-up'; exits: number; windowMs: number; history: RestartHistory };

/** The decision for a child that started at `startedAt` and exited at `exitedAt`. */
export function decideRestart(
  history: RestartHistory,
  exit: { startedAt: number; exitedAt: number },
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const exits = [...history.exits.filter((t) => exit.exitedAt - t < policy.crashWindowMs), exit.exitedAt];
  const wasUpLong = exit.exitedAt - exit.startedAt >= policy.resetAfterMs;
  const delayMs =
    wasUpLong || history.lastDelayMs === 0 ? policy.firstDelayMs : Math.min(policy.maxDelayMs, history.lastDelayMs * 2);
  const next = { lastDelayMs: delayMs, exits };
  if (exits.length >= policy.crashLimit)
    return { kind: 'give-up', exits: exits.length, windowMs: policy.crashWindowMs, history: next };
  return { kind: 'restart', delayMs, history: next };
}

/** "1 s", "1.5 s", "30 s": how the supervisor's log says a wait. */
export function formatDelay(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
