import { and, desc, eq, inArray } from 'drizzle-orm';
import { definitions } from '@/lib/adapters/db/schema';
import type { Db } from '@/lib/adapters/db/client';
import {
  ZPipelineSpec,
  ZStepActionSpec,
  ZTaskSpec,
  type TPipelineSpec,
  type TStepActionSpec,
  type TTaskSpec,
} from '@/lib/domain/pipeline/spec-schemas';
import type { TDefinitionDocument } from '@/lib/domain/pipeline/stored-schemas';

export type DefinitionKind = 'Task' | 'Pipeline' | 'StepAction';

export interface StoredDefinition {
  kind: DefinitionKind;
  name: string;
  version: number;
  document: TDefinitionDocument;
}

// A stored definition's spec, parsed with its kind's schema (once per definition loaded).
export const pipelineSpecOf = (d: StoredDefinition): TPipelineSpec => ZPipelineSpec.parse(d.document.spec);
export const taskSpecOf = (d: StoredDefinition | undefined): TTaskSpec | undefined =>
  d && ZTaskSpec.parse(d.document.spec);
export const stepActionSpecOf = (d: StoredDefinition | undefined): TStepActionSpec | undefined =>
  d && ZStepActionSpec.parse(d.document.spec);

const isDefinitionKind = (kind: string): kind is DefinitionKind => ['Task', 'Pipeline', 'StepAction'].includes(kind);

/** The newest version of each named definition of one kind. */
export async function latestDefinitions(
  db: Db,
  kind: DefinitionKind,
  names: string[],
): Promise<Map<string, StoredDefinition>> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([definitions.name], {
      kind: definitions.kind,
      name: definitions.name,
      version: definitions.version,
      document: definitions.document,
    })
    .from(definitions)
    .where(and(eq(definitions.kind, kind), inArray(definitions.name, names)))
    .orderBy(definitions.name, desc(definitions.version));
  return new Map(rows.flatMap((r) => (isDefinitionKind(r.kind) ? [[r.name, { ...r, kind: r.kind }]] : [])));
}

export async function definitionVersion(
  db: Db,
  kind: DefinitionKind,
  name: string,
  version: number,
): Promise<StoredDefinition | undefined> {
  const [row] = await db
    .select()
    .from(definitions)
    .where(and(eq(definitions.kind, kind), eq(definitions.name, name), eq(definitions.version, version)));
  return row ? { kind, name: row.name, version: row.version, document: row.document } : undefined;
}
