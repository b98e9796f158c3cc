import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { repositories, users } from '../../lib/adapters/db/schema';
import { createRepoMirrors, type RepoMirrors } from '../../lib/adapters/git';
import { AppError } from '../../lib/errors';
import { addRepository } from '../../lib/server/gitops/add-repository';
import { listRepositories } from '../../lib/server/gitops/list-repositories';
import { removeRepository } from '../../lib/server/gitops/remove-repository';
import { grantAdmin } from './support/principals';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { createTestRepo, serveGitHttp } from './support/git-repos';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let me: Principal;
let mirrors: RepoMirrors;
const box = secretBox('repo-test-key-'.repeat(3));

beforeAll(async () => {
  t = await testDatabase();
  const [u] = await t.handle.db.insert(users).values({ username: 'ops' }).returning();
  me = { userId: u.id, username: 'ops', name: null, role: 'user', groups: [], via: 'token' };
  await grantAdmin(t, 'ops');
  mirrors = createRepoMirrors({
    cacheDir: await mkdtemp(path.join(os.tmpdir(), 'keelson-mirrors-')),
    allowLocal: true,
  });
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as AppError,
  );

it('adds a local repository only when local repositories are allowed', async () => {
  const repo = await createTestRepo({ files: { 'app/cm.yaml': 'kind: ConfigMap\n' } });
  const refused = await failure(addRepository(t.deps(), box, mirrors, me, { url: repo.url }, false));
  expect(refused?.status).toBe(400);
  expect(refused?.message).toContain('not allowed');
  const added = await addRepository(t.deps(), box, mirrors, me, { url: repo.url }, true);
  expect(added.url).toBe(repo.url);
  expect((await failure(addRepository(t.deps(), box, mirrors, me, { url: repo.url }, true)))?.status).toBe(409);
  await removeRepository(t.deps(), me, repo.url);
  expect(await listRepositories(t.deps(), me)).toEqual([]);
  await repo.cleanup();
});

it('checks credentials over smart HTTP, seals them, and never returns or echoes them', async () => {
  const repo = await createTestRepo({ files: { 'README.md': 'hi\n' } });
  const server = await serveGitHttp(repo.projectRoot, { username: 'deploy', password: 's3cret-token' });
  try {
    const url = server.url(repo.name);
    const wrong = await failure(
      addRepository(t.deps(), box, mirrors, me, { url, username: 'deploy', password: 'wrong-token' }, false),
    );
    expect(wrong?.status).toBe(400);
    expect(JSON.stringify(wrong)).not.toContain('wrong-token');
    expect(await t.handle.db.select().from(repositories)).toHaveLength(0);
    await addRepository(t.deps(), box, mirrors, me, { url, username: 'deploy', password: 's3cret-token' }, false);
    const [row] = await t.handle.db.select().from(repositories);
    expect(row.sealedCredentials).not.toContain('s3cret-token');
    expect(JSON.parse(box.open(row.sealedCredentials!))).toMatchObject({ username: 'deploy', token: 's3cret-token' });
    const listed = await listRepositories(t.deps(), me);
    expect(listed).toEqual([{ id: row.id, url, hasCredentials: true, createdAt: expect.any(String) }]);
    expect(JSON.stringify(listed)).not.toContain('s3cret');
  } finally {
    await server.close();
    await repo.cleanup();
  }
});

it('refuses an unreachable repository and stores nothing', async () => {
  const before = (await listRepositories(t.deps(), me)).length;
  const err = await failure(
    addRepository(t.deps(), box, mirrors, me, { url: 'http://127.0.0.1:9/nothing.git' }, false),
  );
  expect(err?.status).toBe(400);
  expect(err?.message).toMatch(/Cannot read/);
  expect(await listRepositories(t.deps(), me)).toHaveLength(before);
});
