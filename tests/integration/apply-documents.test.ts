import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { companions, definitions, users } from '../../lib/adapters/db/schema';
import { AppError } from '../../lib/errors';
import { applyDocuments } from '../../lib/server/pipeline/apply-documents';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let me: Principal;
const box = secretBox('test-secret-key-'.repeat(3));

beforeAll(async () => {
  t = await testDatabase();
  await grantAdmin(t, 'dev');
  const [u] = await t.handle.db.insert(users).values({ username: 'dev' }).returning();
  me = { userId: u.id, username: 'dev', name: null, role: 'user', groups: [], via: 'token' };
});

const task = (name: string, script = 'echo hi') => `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: ${name} }
spec:
  params: [{ name: who, default: world }]
  results: [{ name: out }]
  steps:
    - name: say
      image: alpine
      script: |
        ${script}
`;

const pipeline = (name: string, taskName: string, runAfter = '[]') => `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: ${name} }
spec:
  tasks:
    - name: first
      taskRef: { name: ${taskName} }
    - name: second
      taskRef: { name: ${taskName} }
      runAfter: ${runAfter}
`;

const versions = async (name: string) =>
  (await t.handle.db.select().from(definitions).where(eq(definitions.name, name))).map((d) => d.version).sort();

async function rejected(input: string): Promise<AppError> {
  const err = await applyDocuments(t.deps(), me, input, box).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('apply', () => {
  it('stores definitions, versions changed ones and leaves identical ones alone', async () => {
    const first = await applyDocuments(
      t.deps(),
      me,
      `${task('greet')}---\n${pipeline('hello', 'greet', '[first]')}`,
      box,
    );
    expect(first.applied).toEqual([
      { kind: 'Task', name: 'greet', action: 'created' },
      { kind: 'Pipeline', name: 'hello', action: 'created' },
    ]);
    const again = await applyDocuments(t.deps(), me, task('greet'), box);
    expect(again.applied[0].action).toBe('unchanged');
    const changed = await applyDocuments(t.deps(), me, task('greet', 'echo changed'), box);
    expect(changed.applied[0].action).toBe('configured');
    expect(await versions('greet')).toEqual([1, 2]);
  });

  it('seals Secret data and keeps ConfigMaps as named inputs', async () => {
    const res = await applyDocuments(
      t.deps(),
      me,
      `apiVersion: v1\nkind: Secret\nmetadata: { name: creds }\nstringData: { token: s3cr3t }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: cfg }\ndata: { level: debug }\n`,
      box,
    );
    expect(res.applied.map((a) => `${a.kind}/${a.name} ${a.action}`)).toEqual([
      'Secret/creds created',
      'ConfigMap/cfg created',
    ]);
    const [secret] = await t.handle.db.select().from(companions).where(eq(companions.name, 'creds'));
    expect(JSON.stringify(secret.data)).not.toContain('s3cr3t');
    const sealed = (secret.data as { sealed: Record<string, string> }).sealed.token;
    expect(box.open(sealed)).toBe('s3cr3t');
  });

  it.each([
    ['malformed YAML', 'kind: Task\nmetadata: [unclosed', /documents\[0\]/],
    ['an unknown kind', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n', /Deployment/],
    [
      'a cycle',
      `${task('t1')}---\n${pipeline('cyc', 't1', '[second]').replace('taskRef: { name: t1 }\n    - name: second', 'taskRef: { name: t1 }\n      runAfter: [second]\n    - name: second')}`,
      /cycle/i,
    ],
    ['runAfter to a missing task', `${task('t2')}---\n${pipeline('bad-after', 't2', '[nope]')}`, /nope/],
    ['a reference to a missing Task', pipeline('orphan', 'does-not-exist'), /does-not-exist/],
  ])('refuses %s with a path, and stores nothing from the file', async (_what, input, pattern) => {
    const before = await t.handle.db.select().from(definitions);
    const err = await rejected(input);
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.details.issues)).toMatch(pattern);
    expect(err.details.issues?.[0].path).toMatch(/^documents\[\d+\]/);
    expect(await t.handle.db.select().from(definitions)).toHaveLength(before.length);
  });
});
