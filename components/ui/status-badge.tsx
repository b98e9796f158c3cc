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

/** Maps Tekton reasons and Argo CD states to a tone. */
export function toneFor(status: string | undefined): StatusTone {
  switch (status) {
    case 'Succeeded':
    case 'Completed':
    case 'Healthy':
    case 'Synced':
      return 'ok';
    case 'Failed':
    case 'TaskRunTimeout':
    case 'PipelineRunTimeout':
    case 'Degraded':
    case 'Error':
    case 'TaskRunLeaseExpired':
      return 'fail';
    case 'Running':
    case 'Started':
    case 'Progressing':
    case 'PipelineRunStopping':
      return 'running';
    case 'Pending':
    case 'ToBeRetried':
      return 'pending';
    case 'Skipped':
      return 'skipped';
    case 'Cancelled':
    case 'CancelledRunFinally':
    case 'StoppedRunFinally':
    case 'TaskRunCancelled':
    case 'OutOfSync':
    case 'Suspended':
      return 'warn';
    default:
      return 'unknown';
  }
}

export function toneColors(tone: StatusTone) {
  return TONES[tone];
}

export function StatusBadge({ status, label }: { status: string | undefined; label?: string }) {
  const c = TONES[toneFor(status)];
  return (
    <span
      className="status-badge"
      style={{ background: c.bg, color: c.fg, borderRadius: 999, padding: '2px 9px', fontSize: 12, fontWeight: 600, display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}
    >
      <span aria-hidden="true" style={{ width: 7, height: 7, borderRadius: '50%', background: c.dot }} />
      {label ?? status ?? 'Unknown'}
    </span>
  );
}
