import { and, desc, eq, inArray } from 'drizzle-orm';
import { definitions } from '@/lib/adapters/db/schema';
import type { Db } from '@/lib/adapters/db/client';

export type DefinitionKind = 'Task' | 'Pipeline' | 'StepAction';

export interface StoredDefinition {
  kind: DefinitionKind;
  name: string;
  version: number;
  document: Record<string, unknown>;
}

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
  return new Map(rows.map((r) => [r.name, { ...r, kind: r.kind as DefinitionKind }]));
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
