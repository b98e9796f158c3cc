import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { SealedRow, SealedValueStore } from '@/lib/server/security/ports';
import type { Db, DbOrTx } from './client';

/** The sealed text columns. A new sealed column must be listed here, or rotation leaves it behind. */
const TEXT_COLUMNS = [
  { table: 'repositories', key: 'id', column: 'sealed_credentials' },
  { table: 'clusters', key: 'id', column: 'sealed_credentials' },
  { table: 'git_webhook_secrets', key: 'provider', column: 'sealed_secret' },
] as const;

/** Secret companions hold a map of sealed values in jsonb (`data.sealed`). */
const SECRETS = 'companions';

const kidOf = (value: SQLWrapper) =>
  sql`CASE WHEN ${value} LIKE 'v2:%' THEN split_part(${value}, ':', 2) ELSE split_part(${value}, ':', 1) END`;

const notIn = (key: SQL, skip: readonly string[]) =>
  skip.length > 0
    ? sql`AND ${key}::text NOT IN (${sql.join(
        skip.map((s) => sql`${s}`),
        sql`, `,
      )})`
    : sql``;

type Place = (tx: DbOrTx, prefix: string, skip: readonly string[], batch: number) => Promise<LockedRows>;
interface LockedRows {
  rows: SealedRow[];
  write(row: SealedRow, fresh: Record<string, string>): Promise<void>;
}

function textColumn(c: (typeof TEXT_COLUMNS)[number]): Place {
  const table = sql.identifier(c.table);
  const col = sql.identifier(c.column);
  const key = sql.identifier(c.key);
  return async (tx, prefix, skip, batch) => {
    const res = await tx.execute<{ k: string; v: string }>(
      sql`SELECT ${key}::text AS k, ${col} AS v FROM ${table} WHERE ${col} IS NOT NULL AND ${col} NOT LIKE ${prefix} ${notIn(sql`${key}`, skip)} ORDER BY 1 LIMIT ${batch} FOR UPDATE`,
    );
    return {
      rows: res.rows.map((r) => ({ key: r.k, label: `${c.table}/${r.k}`, values: { [c.column]: r.v } })),
      write: async (row, fresh) =>
        void (await tx.execute(sql`UPDATE ${table} SET ${col} = ${fresh[c.column]} WHERE ${key}::text = ${row.key}`)),
    };
  };
}

const secretCompanions: Place = async (tx, prefix, skip, batch) => {
  const res = await tx.execute<{ id: string; name: string; sealed: Record<string, string> }>(
    sql`SELECT id::text AS id, name, data->'sealed' AS sealed FROM companions
         WHERE kind = 'Secret' AND EXISTS (SELECT 1 FROM jsonb_each_text(data->'sealed') v WHERE v.value NOT LIKE ${prefix}) ${notIn(sql`id`, skip)}
         ORDER BY id LIMIT ${batch} FOR UPDATE`,
  );
  return {
    rows: res.rows.map((r) => ({ key: r.id, label: `companions/Secret ${r.name}`, values: r.sealed })),
    write: async (row, fresh) =>
      void (await tx.execute(
        sql`UPDATE companions SET data = jsonb_set(data, '{sealed}', ${JSON.stringify(fresh)}::jsonb) WHERE id::text = ${row.key}`,
      )),
  };
};

const PLACES: ReadonlyMap<string, Place> = new Map([
  ...TEXT_COLUMNS.map((c) => [c.table, textColumn(c)] as const),
  [SECRETS, secretCompanions],
]);

export function createSealedValueStore(db: Db): SealedValueStore {
  return {
    places: () => [...PLACES.keys()],
    async keyUsage() {
      const parts = [
        ...TEXT_COLUMNS.map(
          (c) =>
            sql`SELECT ${kidOf(sql.identifier(c.column))} AS kid FROM ${sql.identifier(c.table)} WHERE ${sql.identifier(c.column)} IS NOT NULL`,
        ),
        sql`SELECT ${kidOf(sql`v.value`)} AS kid FROM companions, jsonb_each_text(companions.data->'sealed') v WHERE companions.kind = 'Secret'`,
      ];
      const res = await db.execute<{ kid: string; n: string }>(
        sql`SELECT kid, count(*) AS n FROM (${sql.join(parts, sql` UNION ALL `)}) s GROUP BY kid`,
      );
      return Object.fromEntries(res.rows.map((r) => [r.kid, Number(r.n)]));
    },
    resealBatch(place, keyId, skip, batch, reseal) {
      const locate = PLACES.get(place);
      if (!locate) throw new Error(`no sealed values rest in "${place}"`);
      return db.transaction(async (tx) => {
        const locked = await locate(tx, `v2:${keyId}:%`, skip, batch);
        for (const row of locked.rows) {
          const fresh = reseal(row);
          if (fresh) await locked.write(row, fresh);
        }
        return locked.rows.length;
      });
    },
  };
}
