/** ConfigMaps, sealed Secrets, PVCs and Triggers (Drizzle); implements the pipeline CompanionStore port. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { CompanionStore } from '@/lib/server/pipeline/ports';
import type { DbOrTx } from './client';
import { companions } from './schema';

const shown = {
  kind: companions.kind,
  name: companions.name,
  project: companions.project,
  data: companions.data,
  updatedAt: companions.updatedAt,
};

export function createCompanionStore(db: DbOrTx): CompanionStore {
  return {
    async named(names) {
      if (names.length === 0) return [];
      return db
        .select(shown)
        .from(companions)
        .where(inArray(companions.name, [...names]));
    },

    async find(kind, name) {
      const [row] = await db
        .select(shown)
        .from(companions)
        .where(and(eq(companions.kind, kind), eq(companions.name, name)));
      return row;
    },

    async ofKind(kind) {
      return db.select(shown).from(companions).where(eq(companions.kind, kind)).orderBy(asc(companions.name));
    },

    async upsert(c, at) {
      const [row] = await db
        .insert(companions)
        .values({ ...c, updatedAt: at })
        .onConflictDoUpdate({
          target: [companions.kind, companions.name],
          set: { data: c.data, updatedAt: at, createdBy: c.createdBy },
          // Another project's row of that name (taken since the apply checked) is left alone: no row comes back.
          setWhere: sql`${companions.project} = excluded.project`,
        })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      if (!row) return null;
      return row.inserted ? 'created' : 'configured';
    },
  };
}
