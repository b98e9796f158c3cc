'use client';
import Link from 'next/link';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import { runLabel, type TRunSummary } from '@/lib/schemas/pipeline-runs';
import { DataTable, wide } from '../ui/data-table';
import { StatusBadge } from '../ui/status-badge';
import { formatDuration } from '../ui/time-format';
import { Ago } from '../ui/ago';

/** Runs, newest first; each links to its run page. */
export function RunsTable({
  runs,
  showPipeline = true,
  label = 'Runs',
}: {
  runs: TRunSummary[];
  showPipeline?: boolean;
  label?: string;
}) {
  return (
    <DataTable
      label={label}
      columns={['Run', 'Status', showPipeline && wide('Pipeline'), wide('Started'), wide('Duration')]}
    >
      {runs.map((r) => (
        <tr key={r.name}>
          <td className="cell-wrap">
            <Link href={`/runs/${encodeURIComponent(r.name)}`} style={{ fontWeight: 600 }}>
              {r.name}
            </Link>
            {r.parentRun ? (
              <div className="muted" style={{ fontSize: 12, marginTop: 2 }} data-testid="child-of">
                child of <Link href={`/runs/${encodeURIComponent(r.parentRun)}`}>{r.parentRun}</Link>
              </div>
            ) : null}
          </td>
          <td className="cell-wrap">
            <StatusBadge status={runLabel(r)} />
            {r.reason === PipelineRunReason.Queued && r.message ? (
              <div className="muted" style={{ fontSize: 12, marginTop: 4 }} data-testid="queued-reason">
                {r.message}
              </div>
            ) : null}
          </td>
          {showPipeline ? (
            <td className="hide-sm">
              {r.pipeline ? (
                <Link href={`/pipelines/${encodeURIComponent(r.pipeline)}`}>{r.pipeline}</Link>
              ) : (
                <span className="muted">inline spec</span>
              )}
            </td>
          ) : null}
          <td className="hide-sm">
            <Ago at={r.startedAt ?? r.createdAt} />
          </td>
          <td className="hide-sm">{formatDuration(r.durationMs)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
