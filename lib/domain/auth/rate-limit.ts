/** A fixed-window counter: at most `limit` attempts per `windowMs` for one key. */
export interface RateWindow {
  windowStart: Date;
  count: number;
}

export interface RateDecision {
  allowed: boolean;
  next: RateWindow;
  retryAfterSeconds: number;
}

export function decideRateLimit(
  current: RateWindow | undefined,
  now: Date,
  limit: number,
  windowMs: number,
): RateDecision {
  const expired = !current || now.getTime() - current.windowStart.getTime() >= windowMs;
  const next: RateWindow = expired
    ? { windowStart: now, count: 1 }
    : { windowStart: current.windowStart, count: current.count + 1 };
  const retryAfterMs = next.windowStart.getTime() + windowMs - now.getTime();
  return { allowed: next.count <= limit, next, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}
