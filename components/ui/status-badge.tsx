import type { HealthStatusCode } from '@/lib/domain/gitops/health-statuses';
import type { OperationPhase } from '@/lib/domain/gitops/operation-phases';
import type { ResultCode } from '@/lib/domain/gitops/sync-operation';
import type { SyncStatusCode } from '@/lib/domain/gitops/sync-statuses';
import type { PipelineRunReason, TaskRunReason } from '@/lib/domain/pipeline/reasons';
import type { REUSED_REASON } from '@/lib/domain/pipeline/rerun-from-failed';
import type { TPipelineRunSpecStatus } from '@/lib/domain/pipeline/run-schemas';
import { Icon, type IconName } from './icons';

/** One palette for every status in Keelson, pipelines and applications alike. */
export type StatusTone = 'ok' | 'fail' | 'running' | 'pending' | 'skipped' | 'warn' | 'unknown';

const TONES: Record<StatusTone, { bg: string; fg: string; dot: string }> = {
  ok: { bg: '#e8f5ee', fg: '#14532d', dot: '#1f8a4c' },
  fail: { bg: '#fdecea', fg: '#8a1f17', dot: '#c0352b' },
  running: { bg: '#e8eefc', fg: '#1d3f99', dot: '#2456d6' },
  pending: { bg: '#f1f3f6', fg: '#475569', dot: '#94a3b8' },
  skipped: { bg: '#f5f3ff', fg: '#5b21b6', dot: '#8b5cf6' },
  warn: { bg: '#fff7e6', fg: '#7c4a03', dot: '#b7791f' },
  unknown: { bg: '#f1f3f6', fg: '#475569', dot: '#64748b' },
};

/** Every status word a badge may show: Tekton's reasons and states, Argo CD's statuses and phases. */
type KnownStatus =
  | PipelineRunReason
  | TaskRunReason
  | TPipelineRunSpecStatus
  | SyncStatusCode
  | HealthStatusCode
  | OperationPhase
  | ResultCode
  | typeof REUSED_REASON
  | 'Skipped';

/**
 * The tone of each status, keyed by the typed unions so that a misspelt or renamed status is a compile
 * error here instead of a grey badge.
 */
const TONE_OF: Partial<Record<KnownStatus, StatusTone>> = {
  Succeeded: 'ok',
  Completed: 'ok',
  Healthy: 'ok',
  Synced: 'ok',
  Pruned: 'ok',
  Failed: 'fail',
  TaskRunTimeout: 'fail',
  PipelineRunTimeout: 'fail',
  Degraded: 'fail',
  SyncFailed: 'fail',
  Error: 'fail',
  TaskRunLeaseExpired: 'fail',
  Running: 'running',
  Started: 'running',
  Progressing: 'running',
  PipelineRunStopping: 'running',
  Pending: 'pending',
  // Waiting for a slot of its concurrency group.
  Queued: 'pending',
  ToBeRetried: 'pending',
  Suspended: 'pending',
  Skipped: 'skipped',
  // A rerun from failed counts a task that succeeded in the earlier run as succeeded.
  Reused: 'ok',
  Cancelled: 'warn',
  CancelledRunFinally: 'warn',
  StoppedRunFinally: 'warn',
  CancelledRunningFinally: 'warn',
  StoppedRunningFinally: 'warn',
  TaskRunCancelled: 'warn',
  OutOfSync: 'warn',
  Missing: 'warn',
  Terminating: 'warn',
};

function isKnown(status: string): status is KnownStatus {
  return Object.hasOwn(TONE_OF, status);
}

/** Maps Tekton reasons and Argo CD states to a tone. */
export function toneFor(status: string | undefined): StatusTone {
  return (status !== undefined && isKnown(status) && TONE_OF[status]) || 'unknown';
}

export function toneColors(tone: StatusTone) {
  return TONES[tone];
}

export function StatusBadge({ status, label }: { status: string | undefined; label?: string }) {
  const c = TONES[toneFor(status)];
  return (
    <span
      className="status-badge"
      style={{
        background: c.bg,
        color: c.fg,
        borderRadius: 999,
        padding: '2px 9px',
        fontSize: 12,
        fontWeight: 600,
        display: 'inline-flex',
        alignItems: 'center',
        gap: 6,
        whiteSpace: 'nowrap',
      }}
    >
      <span aria-hidden="true" style={{ width: 7, height: 7, borderRadius: '50%', background: c.dot }} />
      {label ?? status ?? 'Unknown'}
    </span>
  );
}

/** Argo CD health and sync states, each with its icon (shape, not only colour, tells them apart). */
const STATE_ICONS: Record<string, IconName> = {
  Healthy: 'heart',
  Progressing: 'spinner',
  Degraded: 'broken',
  Suspended: 'pause',
  Missing: 'ghost',
  Unknown: 'question',
  Synced: 'check',
  OutOfSync: 'outOfSync',
};

export function StateIcon({ state, size = 15, title }: { state: string | undefined; size?: number; title?: string }) {
  const s = state ?? 'Unknown';
  const c = TONES[toneFor(s)];
  return (
    <span
      role="img"
      aria-label={title ?? s}
      title={title ?? s}
      style={{ color: c.dot, display: 'inline-flex', flex: 'none' }}
      data-state={s}
    >
      <Icon name={STATE_ICONS[s] ?? 'question'} size={size} className={s === 'Progressing' ? 'spin' : undefined} />
    </span>
  );
}

/** A health or sync badge: the state's icon and name, in the shared palette. */
export function StateBadge({ state, kind }: { state: string | undefined; kind: 'health' | 'sync' }) {
  const s = state ?? 'Unknown';
  const c = TONES[toneFor(s)];
  return (
    <span
      className="status-badge"
      data-testid={`${kind}-badge`}
      style={{
        background: c.bg,
        color: c.fg,
        borderRadius: 999,
        padding: '2px 9px 2px 6px',
        fontSize: 12,
        fontWeight: 600,
        display: 'inline-flex',
        alignItems: 'center',
        gap: 5,
        whiteSpace: 'nowrap',
      }}
    >
      <span aria-hidden="true" style={{ color: c.dot, display: 'inline-flex' }}>
        <Icon name={STATE_ICONS[s] ?? 'question'} size={13} className={s === 'Progressing' ? 'spin' : undefined} />
      </span>
      {s === 'OutOfSync' ? 'Out of sync' : s}
    </span>
  );
}
