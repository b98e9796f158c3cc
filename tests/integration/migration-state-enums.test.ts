import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { migrationsFolder, runMigrations } from '../../lib/adapters/db/migrate';

/** The migrations up to (not including) `tag`, as a folder of their own. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keelson-migrations-'));
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalPath = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

it('turns the state columns of existing rows into enums (0008_state_enums), keeping their values', async () => {
  const adminUrl = inject('postgresAdminUrl');
  const name = `m_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const before = migrationsBefore('0008_state_enums');
  const db = new pg.Client({ connectionString: url });
  try {
    await runMigrations(url, before);
    await db.connect();
    await db.query(`INSERT INTO pipeline_runs (name, spec, status, condition_status, condition_reason, created_by)
      VALUES ('r1', '{}', '{}', 'False', 'Failed', 'me'), ('r2', '{}', '{}', DEFAULT, DEFAULT, 'me')`);
    await db.query(`INSERT INTO task_runs (name, plan, state, status) VALUES
      ('t1', '{}', 'succeeded', '{}'), ('t2', '{}', 'running', '{}'), ('t3', '{}', DEFAULT, '{}')`);
    const [{ id: appId }] = (
      await db.query(`INSERT INTO applications (name, spec, repo_url, normalized_repo_url, target_revision, path,
        cluster_name, dest_namespace, sync_status, health_status, created_by)
        VALUES ('a1', '{}', 'r', 'r', 'main', '.', 'c', 'ns', 'OutOfSync', 'Degraded', 'me') RETURNING id`)
    ).rows;
    await db.query(
      `INSERT INTO app_operations (app_id, phase, operation, finished_at) VALUES ($1, 'Error', '{}', now())`,
      [appId],
    );
    await db.query(`INSERT INTO app_operations (app_id, operation) VALUES ($1, '{}')`, [appId]);

    await runMigrations(url);

    const types =
      await db.query(`SELECT table_name, column_name, udt_name, column_default FROM information_schema.columns
      WHERE column_name IN ('condition_status', 'state', 'phase', 'sync_status', 'health_status')
        AND table_name IN ('pipeline_runs', 'task_runs', 'app_operations', 'applications') ORDER BY 1, 2`);
    expect(types.rows).toEqual([
      {
        table_name: 'app_operations',
        column_name: 'phase',
        udt_name: 'operation_phase',
        column_default: "'Running'::operation_phase",
      },
      {
        table_name: 'applications',
        column_name: 'health_status',
        udt_name: 'health_status',
        column_default: "'Unknown'::health_status",
      },
      {
        table_name: 'applications',
        column_name: 'sync_status',
        udt_name: 'sync_status',
        column_default: "'Unknown'::sync_status",
      },
      {
        table_name: 'pipeline_runs',
        column_name: 'condition_status',
        udt_name: 'condition_status',
        column_default: "'Unknown'::condition_status",
      },
      {
        table_name: 'task_runs',
        column_name: 'state',
        udt_name: 'task_run_state',
        column_default: "'pending'::task_run_state",
      },
    ]);
    const runs = await db.query(
      `SELECT name, condition_status::text AS s, condition_reason FROM pipeline_runs ORDER BY 1`,
    );
    expect(runs.rows).toEqual([
      { name: 'r1', s: 'False', condition_reason: 'Failed' },
      { name: 'r2', s: 'Unknown', condition_reason: 'Started' },
    ]);
    const tasks = await db.query(`SELECT name, state::text AS s FROM task_runs ORDER BY 1`);
    expect(tasks.rows.map((r) => r.s)).toEqual(['succeeded', 'running', 'pending']);
    const apps = await db.query(`SELECT sync_status::text AS sync, health_status::text AS health FROM applications`);
    expect(apps.rows).toEqual([{ sync: 'OutOfSync', health: 'Degraded' }]);
    const ops = await db.query(`SELECT phase::text AS p FROM app_operations ORDER BY finished_at NULLS LAST`);
    expect(ops.rows.map((r) => r.p)).toEqual(['Error', 'Running']);
    // A value outside the list is refused by the database itself.
    await expect(db.query(`UPDATE task_runs SET state = 'runing'`)).rejects.toThrow(/invalid input value for enum/);
  } finally {
    await db.end().catch(() => undefined);
    rmSync(before, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
