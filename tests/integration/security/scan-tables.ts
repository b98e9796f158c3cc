import pg from 'pg';

export interface Hit {
  table: string;
  column: string;
  needle: string;
}

/**
 * Looks for each needle in every text-like column (text, varchar, json, jsonb, bytea as text) of every
 * table outside Postgres' own schemas, the way someone with a database dump would.
 */
export async function findInAnyColumn(url: string, needles: readonly string[]): Promise<Hit[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table_schema: string; table_name: string; column_name: string }>(
      `SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
          AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY', 'USER-DEFINED')`,
    );
    const hits: Hit[] = [];
    for (const c of columns) {
      const ident = `"${c.table_schema}"."${c.table_name}"`;
      const col = `"${c.column_name}"`;
      for (const needle of needles) {
        const expr = `${col}::text`;
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${ident} WHERE strpos(${expr}, $1) > 0`,
          [needle],
        );
        if (Number(rows[0].n) > 0)
          hits.push({ table: `${c.table_schema}.${c.table_name}`, column: c.column_name, needle });
      }
    }
    return hits;
  } finally {
    await client.end();
  }
}

/** The value and the encodings it could hide under in a dump. */
export function encodings(value: string): string[] {
  const b = Buffer.from(value);
  return [value, b.toString('base64'), b.toString('base64url'), b.toString('hex')];
}
