import { parseGoDuration } from '../pipeline/duration';
import type { SyncStatusCode } from './sync-statuses';

export interface BackoffPolicy {
  /** Argo CD duration: a Go duration ("5s", "2m") or a bare number of seconds. */
  duration: string;
  factor: number;
  maxDuration: string;
}

/** `syncPolicy.retry.backoff` defaults (SEMANTICS.md); the brief uses the same for selfHeal. */
export const DEFAULT_BACKOFF: BackoffPolicy = { duration: '5s', factor: 2, maxDuration: '3m' };

/** Milliseconds; a bare number means seconds, as Argo CD's backoff fields read it. */
export function parseArgoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  return parseGoDuration(trimmed);
}

/**
 * Wait before retry number `attempt` (0 = the first retry): duration × factor^attempt, capped at
 * maxDuration (Argo CD `RetryStrategy.NextRetryAt`). Unparsable fields fall back to the defaults.
 */
export function retryBackoff(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const base = parseArgoDuration(policy.duration) ?? 5_000;
  const cap = parseArgoDuration(policy.maxDuration) ?? 180_000;
  const factor = policy.factor > 0 ? policy.factor : DEFAULT_BACKOFF.factor;
  const wait = base * factor ** Math.max(0, attempt);
  return cap > 0 ? Math.min(cap, wait) : wait;
}

export interface RetryPolicy {
  /** Retries after the first failed attempt; negative means unlimited, 0 none. */
  limit: number;
  backoff?: BackoffPolicy;
}

/** Whether a failed sync that has been retried `retries` times gets another try, and when. */
export function nextRetry(
  retries: number,
  policy: RetryPolicy | undefined,
): { retry: false } | { retry: true; delayMs: number } {
  if (!policy || (policy.limit >= 0 && retries >= policy.limit)) return { retry: false };
  return { retry: true, delayMs: retryBackoff(retries, policy.backoff ?? DEFAULT_BACKOFF) };
}

export interface LastAutoSync {
  sha: string;
  /** Hash of the source parameters (Helm values, kustomize options…) the sync used. */
  paramsHash: string;
  /** When that sync finished (ms since epoch). */
  at: number;
  /** Self-heal syncs already made for this SHA + parameters (0 after the first sync to them). */
  attempts: number;
  /** Whether that sync succeeded; undefined while unknown. */
  succeeded?: boolean;
}

export interface AutoSyncInput {
  syncStatus: SyncStatusCode;
  automated?: { prune?: boolean; selfHeal?: boolean };
  /** Keelson's rollback pin: auto-sync stays configured but holds. */
  pinnedRevision?: string;
  operationInProgress?: boolean;
  lastAutoSync?: LastAutoSync;
  currentSha: string;
  paramsHash: string;
  now: number;
  selfHealBackoff?: BackoffPolicy;
}

export interface AutoSyncDecision {
  sync: boolean;
  reason: string;
  /** When to look again (a self-heal waiting for its backoff). */
  retryAfterMs?: number;
  /** With sync: what to store as the last auto-sync once the operation finishes (set `at`, `succeeded`). */
  record?: Pick<LastAutoSync, 'sha' | 'paramsHash' | 'attempts'>;
  /** Conditions to show the user (Argo CD raises a SyncError for a failed automated attempt). */
  error?: string;
}

/**
 * Argo CD's `autoSync` decision: only when OutOfSync; one attempt per (revision SHA + parameters);
 * with selfHeal, drift at the same SHA is repaired again after a backoff that grows with each
 * self-heal attempt. A failed attempt is not repeated by auto-sync (the retry policy handles that).
 * Keelson addition: nothing happens while the app is pinned by a rollback.
 */
export function shouldAutoSync(input: AutoSyncInput): AutoSyncDecision {
  const short = input.currentSha.slice(0, 7);
  if (!input.automated) return { sync: false, reason: 'auto-sync is not enabled' };
  if (input.pinnedRevision) {
    return { sync: false, reason: `auto-sync holds: pinned to ${input.pinnedRevision.slice(0, 7)} by a rollback` };
  }
  if (input.operationInProgress) return { sync: false, reason: 'an operation is already in progress' };
  if (input.syncStatus !== 'OutOfSync') return { sync: false, reason: `app is ${input.syncStatus}` };

  const last = input.lastAutoSync;
  const sameTarget = last !== undefined && last.sha === input.currentSha && last.paramsHash === input.paramsHash;
  if (!sameTarget) {
    return {
      sync: true,
      reason: `auto-sync to ${short}`,
      record: { sha: input.currentSha, paramsHash: input.paramsHash, attempts: 0 },
    };
  }
  if (last.succeeded === false) {
    const error = `Failed sync attempt to ${input.currentSha}`;
    return { sync: false, reason: `skipping auto-sync: the last attempt to ${short} failed`, error };
  }
  if (!input.automated.selfHeal)
    return { sync: false, reason: `skipping auto-sync: most recent sync already to ${short}` };

  const delay = last.attempts === 0 ? 0 : retryBackoff(last.attempts - 1, input.selfHealBackoff ?? DEFAULT_BACKOFF);
  const remaining = delay - (input.now - last.at);
  if (remaining > 0) {
    return { sync: false, reason: `self-heal of ${short} waits for its backoff`, retryAfterMs: remaining };
  }
  return {
    sync: true,
    reason: `self-heal: live state drifted from ${short}`,
    record: { sha: last.sha, paramsHash: last.paramsHash, attempts: last.attempts + 1 },
  };
}
