import { sql } from 'drizzle-orm';
import type { TPipelineSummary } from '@/lib/schemas/pipelines';
import type { Deps } from '../deps';

interface Row extends Record<string, unknown> {
  name: string;
  version: number;
  created_at: Date | string;
  tasks: number;
  run_name: string | null;
  condition_status: string | null;
  condition_reason: string | null;
  started_at: Date | string | null;
  completed_at: Date | string | null;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** Each pipeline's newest version with its last run, newest activity first. */
export async function listPipelines(deps: Deps): Promise<TPipelineSummary[]> {
  const result = await deps.db.execute<Row>(sql`
    SELECT d.name, d.version, d.created_at,
           jsonb_array_length(coalesce(d.document->'spec'->'tasks', '[]'::jsonb)) + jsonb_array_length(coalesce(d.document->'spec'->'finally', '[]'::jsonb)) AS tasks,
           r.name AS run_name, r.condition_status, r.condition_reason, r.started_at, r.completed_at
    FROM (SELECT DISTINCT ON (name) * FROM definitions WHERE kind = 'Pipeline' ORDER BY name, version DESC) d
    LEFT JOIN LATERAL (
      SELECT * FROM pipeline_runs pr WHERE pr.pipeline_name = d.name ORDER BY pr.created_at DESC LIMIT 1
    ) r ON true
    ORDER BY coalesce(r.created_at, d.created_at) DESC`);
  return result.rows.map((r) => {
    const started = iso(r.started_at);
    const completed = iso(r.completed_at);
    return {
      name: r.name,
      version: Number(r.version),
      updatedAt: iso(r.created_at)!,
      tasks: Number(r.tasks),
      lastRun: r.run_name
        ? {
            name: r.run_name,
            status: r.condition_status ?? 'Unknown',
            reason: r.condition_reason ?? '',
            startedAt: started,
            completedAt: completed,
            durationMs: started && completed ? Date.parse(completed) - Date.parse(started) : null,
          }
        : null,
    };
  });
}
