/** Versioned Tasks, Pipelines and StepActions (Drizzle); implements the pipeline DefinitionStore port. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DefinitionKind, StoredDefinition } from '@/lib/server/pipeline/stored-definitions';
import type { DefinitionStore } from '@/lib/server/pipeline/ports';
import type { DbOrTx } from './client';
import { definitions } from './schema';

const isDefinitionKind = (kind: string): kind is DefinitionKind => ['Task', 'Pipeline', 'StepAction'].includes(kind);

interface SummaryRow extends Record<string, unknown> {
  name: string;
  project: string;
  version: number;
  created_at: Date | string;
  tasks: number;
  run_name: string | null;
  condition_status: string | null;
  condition_reason: string | null;
  started_at: Date | string | null;
  completed_at: Date | string | null;
}

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

export function createDefinitionStore(db: DbOrTx): DefinitionStore {
  return {
    async latest(kind, names) {
      if (names.length === 0) return new Map<string, StoredDefinition>();
      const rows = await db
        .selectDistinctOn([definitions.name], {
          kind: definitions.kind,
          name: definitions.name,
          project: definitions.project,
          version: definitions.version,
          document: definitions.document,
        })
        .from(definitions)
        .where(and(eq(definitions.kind, kind), inArray(definitions.name, [...names])))
        .orderBy(definitions.name, desc(definitions.version));
      return new Map(rows.flatMap((r) => (isDefinitionKind(r.kind) ? [[r.name, { ...r, kind: r.kind }]] : [])));
    },

    async versions(kind, name) {
      return db
        .select({ version: definitions.version, document: definitions.document, project: definitions.project })
        .from(definitions)
        .where(and(eq(definitions.kind, kind), eq(definitions.name, name)))
        .orderBy(desc(definitions.version));
    },

    async insert(d) {
      await db.insert(definitions).values(d);
    },

    async deleteAll(kind, name) {
      const deleted = await db
        .delete(definitions)
        .where(and(eq(definitions.kind, kind), eq(definitions.name, name)))
        .returning({ id: definitions.id });
      return deleted.length;
    },

    async pipelineSummaries() {
      const result = await db.execute<SummaryRow>(sql`
        SELECT d.name, d.project, d.version, d.created_at,
               jsonb_array_length(coalesce(d.document->'spec'->'tasks', '[]'::jsonb)) + jsonb_array_length(coalesce(d.document->'spec'->'finally', '[]'::jsonb)) AS tasks,
               r.name AS run_name, r.condition_status, r.condition_reason, r.started_at, r.completed_at
        FROM (SELECT DISTINCT ON (name) * FROM definitions WHERE kind = 'Pipeline' ORDER BY name, version DESC) d
        LEFT JOIN LATERAL (
          SELECT * FROM pipeline_runs pr WHERE pr.pipeline_name = d.name AND pr.project = d.project
          ORDER BY pr.created_at DESC LIMIT 1
        ) r ON true
        ORDER BY coalesce(r.created_at, d.created_at) DESC`);
      return result.rows.map((r) => ({
        name: r.name,
        project: r.project,
        version: Number(r.version),
        createdAt: new Date(r.created_at),
        tasks: Number(r.tasks),
        lastRun: r.run_name
          ? {
              name: r.run_name,
              conditionStatus: r.condition_status,
              conditionReason: r.condition_reason,
              startedAt: date(r.started_at),
              completedAt: date(r.completed_at),
            }
          : null,
      }));
    },
  };
}
