'use client';
import Link from 'next/link';
import type { TPipelineSummary } from '@/lib/schemas/pipelines';
import { usePipelines } from '@/lib/client/pipelines';
import { DataTable, TableCard, wide } from '../ui/data-table';
import { EmptyState } from '../ui/empty-state';
import { StatusBadge } from '../ui/status-badge';
import { formatDuration } from '../ui/time-format';
import { Ago } from '../ui/ago';

export function PipelinesTable({ initial }: { initial: TPipelineSummary[] }) {
  const { data: pipelines } = usePipelines(initial);
  if (pipelines.length === 0) {
    return (
      <EmptyState icon="pipelines" title="No pipelines yet" example={'keelson apply -f pipeline.yaml'}>
        Pipelines you apply (tekton.dev/v1 YAML works unchanged) will be listed here with their last run, its status and
        duration.
      </EmptyState>
    );
  }
  return (
    <TableCard>
      <DataTable
        label="Pipelines"
        columns={['Name', wide('Project'), 'Last run', wide('Duration'), wide('Ran'), wide('Tasks'), wide('Version')]}
      >
        {pipelines.map((p) => (
          <tr key={p.name}>
            <td>
              <Link href={`/pipelines/${encodeURIComponent(p.name)}`} style={{ fontWeight: 600 }}>
                {p.name}
              </Link>
            </td>
            <td className="hide-sm muted">{p.project}</td>
            <td>
              {p.lastRun ? (
                <StatusBadge status={p.lastRun.reason || p.lastRun.status} />
              ) : (
                <span className="muted">never run</span>
              )}
            </td>
            <td className="hide-sm">{formatDuration(p.lastRun?.durationMs)}</td>
            <td className="hide-sm">
              <Ago at={p.lastRun?.startedAt} />
            </td>
            <td className="hide-sm">{p.tasks}</td>
            <td className="hide-sm muted">v{p.version}</td>
          </tr>
        ))}
      </DataTable>
    </TableCard>
  );
}
