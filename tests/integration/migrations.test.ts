import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { runMigrations } from '../../lib/adapters/db/migrate';

it('applies migrations safely when several processes start at once', async () => {
  const adminUrl = inject('postgresAdminUrl');
  const name = `m_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  try {
    await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url), runMigrations(url)]);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const tables = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    const applied = await db.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    await db.end();
    expect(tables.rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(['users', 'accounts', 'sessions', 'api_tokens', 'audit_log', 'rate_limits']),
    );
    const files = (await import('node:fs')).readdirSync('db/migrations').filter((f) => f.endsWith('.sql'));
    expect(applied.rows[0].n).toBe(files.length);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
