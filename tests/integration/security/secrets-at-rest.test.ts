import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { companions, taskRuns } from '../../../lib/adapters/db/schema';
import { apply, child, logLines, pipelineRun, start, useHarness, waitForRun } from '../pipeline-semantics-support';
import { encodings, findInAnyColumn } from './scan-tables';
import type { TTaskRunStatus } from '../../../lib/domain/pipeline/stored-schemas';

const h = useHarness();
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
const digest = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);

/** A step that uses each Secret value and proves it arrived, without the test ever writing a value into a spec. */
const useSecrets = {
  workspaces: [{ name: 'conf' }],
  results: [{ name: 'token' }, { name: 'bulk' }, { name: 'file' }],
  steps: [
    {
      name: 'use',
      image: 'alpine',
      env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
      envFrom: [{ secretRef: { name: 'bulk' }, prefix: 'BULK_' }],
      script: [
        'printf %s "$TOKEN" | sha256sum | cut -c1-16 | tr -d "\\n" > $(results.token.path)',
        'printf %s "$BULK_API_KEY" | sha256sum | cut -c1-16 | tr -d "\\n" > $(results.bulk.path)',
        'sha256sum < $(workspaces.conf.path)/cert | cut -c1-16 | tr -d "\\n" > $(results.file.path)',
        'echo "token=$TOKEN bulk=$BULK_API_KEY file=$(cat $(workspaces.conf.path)/cert)"',
      ].join('\n'),
    },
  ],
};

describe('Secret values never rest in plaintext in any table (hole 8)', () => {
  it('a PipelineRun and a TaskRun using secretKeyRef, envFrom and a Secret workspace leave no value or encoding of one in any column, and logs are masked', async () => {
    const values = { token: secret('tok'), apiKey: secret('api'), cert: secret('cert') };
    await apply(h, [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'creds' },
        data: { token: Buffer.from(values.token).toString('base64') },
      },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bulk' }, stringData: { API_KEY: values.apiKey } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'files' }, stringData: { cert: values.cert } },
      { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'use-secrets' }, spec: useSecrets },
    ]);
    const run = await start(
      h,
      pipelineRun(
        'secrets-at-rest',
        {
          workspaces: [{ name: 'conf' }],
          tasks: [{ name: 'use', taskRef: { name: 'use-secrets' }, workspaces: [{ name: 'conf', workspace: 'conf' }] }],
        },
        {
          workspaces: [{ name: 'conf', secret: { secretName: 'files' } }],
        },
      ),
    );
    const { runs } = await apply(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: 'secrets-at-rest-standalone' },
      spec: { taskRef: { name: 'use-secrets' }, workspaces: [{ name: 'conf', secret: { secretName: 'files' } }] },
    });
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const task = await child(h, run.id, 'use');
    const standalone = runs.find((r) => r.kind === 'TaskRun')!;
    await h.engine.execute(standalone.id);
    const rows = await h.t.handle.db.select().from(taskRuns);
    for (const id of [task.id, standalone.id]) {
      const row = rows.find((r) => r.id === id)!;
      expect(row.state).toBe('succeeded');
      // The values reached the step (it hashed them)...
      const results = Object.fromEntries(
        ((row.status as { results?: { name: string; value: string }[] }).results ?? []).map((r) => [r.name, r.value]),
      );
      expect(results).toEqual({ token: digest(values.token), bulk: digest(values.apiKey), file: digest(values.cert) });
      // ...and its log shows them masked.
      const lines = await logLines(h, id);
      expect(lines).toContain('token=*** bulk=*** file=***');
    }
    const needles = Object.values(values).flatMap(encodings);
    expect(await findInAnyColumn(h.t.url, needles)).toEqual([]);
  });

  it('an upgrade scrubs the Secret values that finished TaskRuns planned by older versions kept (migration 0007)', async () => {
    const value = secret('old');
    const old = (state: 'succeeded' | 'failed', name: string) => ({
      name,
      state,
      status: {} as TTaskRunStatus,
      plan: {
        taskRunName: name,
        steps: [{ name: 's', env: { TOKEN: value, PLAIN: 'keep' }, onError: 'stopAndFail' as const }],
        workspaces: [],
        resultNames: [],
        secretsToMask: [value],
      },
    });
    await h.t.handle.db.insert(taskRuns).values([old('succeeded', 'legacy-done'), old('failed', 'legacy-failed')]);
    const migration = await readFile(
      path.join(import.meta.dirname, '../../../db/migrations/0007_scrub_plan_secrets.sql'),
      'utf8',
    );
    await h.t.handle.db.execute(sql.raw(migration));
    const rows = (await h.t.handle.db.select().from(taskRuns)).filter((r) => r.name.startsWith('legacy-'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const plan = row.plan as { steps: { env: Record<string, string> }[]; secretsToMask: string[] };
      expect(plan.steps[0].env).toEqual({ PLAIN: 'keep' });
      expect(plan.secretsToMask).toEqual([]);
    }
    expect(await findInAnyColumn(h.t.url, encodings(value))).toEqual([]);
  });

  it('a Secret deleted between planning and running fails the TaskRun before any step runs (the plan has no copy to fall back on)', async () => {
    await apply(h, [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'short-lived' }, stringData: { v: secret('gone') } },
    ]);
    const { runs } = await apply(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: 'secret-gone' },
      spec: {
        taskSpec: {
          steps: [
            {
              name: 's',
              image: 'alpine',
              env: [{ name: 'V', valueFrom: { secretKeyRef: { name: 'short-lived', key: 'v' } } }],
              script: 'echo ran',
            },
          ],
        },
      },
    });
    await h.t.handle.db
      .delete(companions)
      .where(and(eq(companions.kind, 'Secret'), eq(companions.name, 'short-lived')));
    await h.engine.execute(runs[0].id);
    const [row] = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, runs[0].id));
    expect(row.state).toBe('failed');
    expect(JSON.stringify(row.status)).toContain('Secret \\"short-lived\\" has no key \\"v\\"');
    expect(await logLines(h, row.id)).not.toContain('ran');
  });
});
