import { sql, type SQLWrapper } from 'drizzle-orm';
import type { Deps } from '../deps';
import type { SecretBox } from './secret-box';

/**
 * Every place a sealed value rests. A new sealed column must be listed here, or rotation leaves it
 * behind (tests/integration/security/key-rotation.test.ts checks every value opens with the new key only).
 */
const TEXT_COLUMNS = [
  { table: 'repositories', key: 'id', column: 'sealed_credentials' },
  { table: 'clusters', key: 'id', column: 'sealed_credentials' },
  { table: 'git_webhook_secrets', key: 'provider', column: 'sealed_secret' },
] as const;

export interface ResealReport {
  /** Values sealed again with the active key, by table. */
  resealed: Record<string, number>;
  /** Values that no key of this keyring opens (left as they are), as `table/row`. */
  unreadable: string[];
}

const kidOf = (value: SQLWrapper) =>
  sql`CASE WHEN ${value} LIKE 'v2:%' THEN split_part(${value}, ':', 2) ELSE split_part(${value}, ':', 1) END`;

/** How many sealed values each key id holds (`v1` for values from before key ids). */
export async function sealedKeyUsage(deps: Pick<Deps, 'db'>): Promise<Record<string, number>> {
  const parts = [
    ...TEXT_COLUMNS.map(
      (c) =>
        sql`SELECT ${kidOf(sql.identifier(c.column))} AS kid FROM ${sql.identifier(c.table)} WHERE ${sql.identifier(c.column)} IS NOT NULL`,
    ),
    sql`SELECT ${kidOf(sql`v.value`)} AS kid FROM companions, jsonb_each_text(companions.data->'sealed') v WHERE companions.kind = 'Secret'`,
  ];
  const res = await deps.db.execute<{ kid: string; n: string }>(
    sql`SELECT kid, count(*) AS n FROM (${sql.join(parts, sql` UNION ALL `)}) s GROUP BY kid`,
  );
  return Object.fromEntries(res.rows.map((r) => [r.kid, Number(r.n)]));
}

function reseal(box: SecretBox, value: string): string {
  return box.seal(box.open(value));
}

/**
 * Seals every value at rest again with the box's active key, in short transactions of `batch` rows
 * locked FOR UPDATE, so the web server and workers keep running (they read old and new keys alike).
 * Rows written meanwhile by a process still sealing with an older key are caught by the next loop.
 */
export async function resealAll(deps: Pick<Deps, 'db'>, box: SecretBox, batch = 100): Promise<ResealReport> {
  const prefix = `v2:${box.activeKeyId()}:%`;
  const report: ResealReport = { resealed: {}, unreadable: [] };
  const count = (table: string, n: number) => (report.resealed[table] = (report.resealed[table] ?? 0) + n);
  for (const c of TEXT_COLUMNS) {
    const skip: string[] = [];
    for (;;) {
      const done = await deps.db.transaction(async (tx) => {
        const col = sql.identifier(c.column);
        const key = sql.identifier(c.key);
        const excluded =
          skip.length > 0
            ? sql`AND ${key}::text NOT IN (${sql.join(
                skip.map((s) => sql`${s}`),
                sql`, `,
              )})`
            : sql``;
        const rows = await tx.execute<{ k: string; v: string }>(
          sql`SELECT ${key}::text AS k, ${col} AS v FROM ${sql.identifier(c.table)} WHERE ${col} IS NOT NULL AND ${col} NOT LIKE ${prefix} ${excluded} ORDER BY 1 LIMIT ${batch} FOR UPDATE`,
        );
        for (const row of rows.rows) {
          let fresh: string;
          try {
            fresh = reseal(box, row.v);
          } catch {
            skip.push(row.k);
            report.unreadable.push(`${c.table}/${row.k}`);
            continue;
          }
          await tx.execute(sql`UPDATE ${sql.identifier(c.table)} SET ${col} = ${fresh} WHERE ${key}::text = ${row.k}`);
          count(c.table, 1);
        }
        return rows.rows.length === 0;
      });
      if (done) break;
    }
  }
  await resealSecrets(deps, box, prefix, batch, report, count);
  return report;
}

/** Secret companions hold a map of sealed values in jsonb (`data.sealed`). */
async function resealSecrets(
  deps: Pick<Deps, 'db'>,
  box: SecretBox,
  prefix: string,
  batch: number,
  report: ResealReport,
  count: (table: string, n: number) => void,
) {
  const skip: string[] = [];
  for (;;) {
    const done = await deps.db.transaction(async (tx) => {
      const excluded =
        skip.length > 0
          ? sql`AND id::text NOT IN (${sql.join(
              skip.map((s) => sql`${s}`),
              sql`, `,
            )})`
          : sql``;
      const rows = await tx.execute<{ id: string; name: string; sealed: Record<string, string> }>(
        sql`SELECT id::text AS id, name, data->'sealed' AS sealed FROM companions
             WHERE kind = 'Secret' AND EXISTS (SELECT 1 FROM jsonb_each_text(data->'sealed') v WHERE v.value NOT LIKE ${prefix}) ${excluded}
             ORDER BY id LIMIT ${batch} FOR UPDATE`,
      );
      for (const row of rows.rows) {
        let fresh: Record<string, string>;
        try {
          fresh = Object.fromEntries(Object.entries(row.sealed).map(([k, v]) => [k, reseal(box, v)]));
        } catch {
          skip.push(row.id);
          report.unreadable.push(`companions/Secret ${row.name}`);
          continue;
        }
        await tx.execute(
          sql`UPDATE companions SET data = jsonb_set(data, '{sealed}', ${JSON.stringify(fresh)}::jsonb) WHERE id::text = ${row.id}`,
        );
        count('companions', Object.keys(fresh).length);
      }
      return rows.rows.length === 0;
    });
    if (done) break;
  }
}
