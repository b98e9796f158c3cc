'use client';
import type { TOperationState } from '@/lib/schemas/applications';
import { StatusBadge } from '../ui/status-badge';
import { shortSha } from './format';
import { DataTable, wide } from '../ui/data-table';
import { Ago } from '../ui/ago';

const PHASE_ORDER = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

/** A sync operation as it runs: one row per phase and wave, then one per resource or hook. */
export function OperationProgress({ op }: { op: TOperationState }) {
  const steps = [...(op.steps ?? [])].sort(
    (a, b) => PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase) || a.wave - b.wave,
  );
  const results = op.syncResult?.resources ?? [];
  const running = op.phase === 'Running' || op.phase === 'Terminating';
  return (
    <div className="op-progress" data-testid="operation-progress" data-phase={op.phase}>
      <div className="op-summary">
        <StatusBadge status={op.phase} />
        <span className="op-message">{op.message || (running ? 'Working…' : '')}</span>
        <span className="muted op-meta">
          {op.operation.sync.dryRun ? 'dry run · ' : ''}
          {op.operation.sync.prune ? 'prune · ' : ''}
          {shortSha(op.syncResult?.revision ?? op.operation.sync.revision)} · started <Ago at={op.startedAt} />
          {op.retryCount > 0 ? ` · retry ${op.retryCount}` : ''}
        </span>
      </div>
      {steps.length > 0 ? (
        <table className="table op-steps" aria-label="Phases and waves">
          <tbody>
            {steps.map((s) => {
              const pct = s.total === 0 ? 100 : Math.round((100 * s.done) / s.total);
              return (
                <tr key={`${s.phase}:${s.wave}`}>
                  <td className="op-step-name">
                    {s.phase} <span className="muted">wave {s.wave}</span>
                  </td>
                  <td style={{ width: '55%' }}>
                    <div
                      className="op-bar"
                      role="progressbar"
                      aria-valuenow={pct}
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-label={`${s.phase} wave ${s.wave}`}
                    >
                      <span style={{ width: `${pct}%` }} className={s.done >= s.total ? 'op-bar-done' : undefined} />
                    </div>
                  </td>
                  <td className="muted" style={{ whiteSpace: 'nowrap', textAlign: 'right' }}>
                    {s.done}/{s.total}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {results.length > 0 ? (
        <DataTable
          label="Resource results"
          className="table op-results"
          columns={['Resource', 'Result', wide('Message')]}
        >
          {results.map((r) => (
            <tr key={`${r.syncPhase}/${r.group}/${r.kind}/${r.namespace}/${r.name}`}>
              <td className="cell-wrap">
                <span className="muted">{r.kind}</span> {r.name}
                <div className="muted op-sub">
                  {r.syncPhase}
                  {r.wave !== undefined ? ` · wave ${r.wave}` : ''}
                  {r.hookPhase ? ` · hook ${r.hookPhase}` : ''}
                </div>
              </td>
              <td>
                <StatusBadge status={r.status} />
                <div className="show-sm muted op-sub">{r.message}</div>
              </td>
              <td className="hide-sm op-msg">{r.message}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}
