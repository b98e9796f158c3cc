/**
 * Review finding (issue 10): a repository URL makes the server connect where the user says. With
 * KEELSON_ALLOW_LOCAL_REPOS off, a host on loopback, link-local (cloud metadata), unspecified or
 * (unless allowed) private addresses is refused, however it is spelt (names resolving to loopback,
 * decimal, hex, octal and short IPv4 forms, IPv4-mapped IPv6), at every entry point: registering a
 * repository, creating an Application, applying a Tekton git-resolver ref, and every fetch the
 * controller makes. Each refusal is a 400 naming the field, stores nothing, and no connection
 * reaches the test's listeners.
 */
import { lookup } from 'node:dns/promises';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, definitions, repositories } from '../../../lib/adapters/db/schema';
import { createRepoMirrors, isRepoError, type RepoMirrors } from '../../../lib/adapters/git';
import type { AppError } from '../../../lib/errors';
import { addRepository } from '../../../lib/server/gitops/add-repository';
import { createApplication } from '../../../lib/server/gitops/applications/create-application';
import { applyDocuments } from '../../../lib/server/pipeline/apply-documents';
import { createRefFetcher } from '../../../lib/server/pipeline/ref-fetcher';
import type { Principal } from '../../../lib/server/principal';
import { appDoc, box, seedBasics } from '../applications-support';
import { grantAdmin } from '../support/principals';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { countConnections, type ConnectionCounter } from './connection-counter';
import { JqRunner } from '../../../lib/adapters/jq';

let t: TestDatabase;
let me: Principal;
let v4: ConnectionCounter;
let v6: ConnectionCounter;
let strict: RepoMirrors;
let hostile: string[];

beforeAll(async () => {
  t = await testDatabase();
  await grantAdmin(t, 'ops');
  me = await seedBasics(t);
  v4 = await countConnections('127.0.0.1');
  v6 = await countConnections('::1');
  strict = createRepoMirrors({ cacheDir: await mkdtemp(path.join(os.tmpdir(), 'keelson-ssrf-')), allowLocal: false });
  const p = v4.port;
  hostile = [
    `http://127.0.0.1:${p}/org/repo.git`,
    `https://127.0.0.1:${p}/org/repo.git`,
    `http://localhost:${p}/org/repo.git`,
    `http://LocalHost.:${p}/org/repo.git`,
    `http://2130706433:${p}/org/repo.git`,
    `http://0x7f000001:${p}/org/repo.git`,
    `http://0177.0.0.1:${p}/org/repo.git`,
    `http://127.1:${p}/org/repo.git`,
    `http://[::ffff:127.0.0.1]:${p}/org/repo.git`,
    `http://[::1]:${v6.port}/org/repo.git`,
    `http://0.0.0.0:${p}/org/repo.git`,
    'http://169.254.169.254/latest/meta-data/iam',
    'http://[fe80::1]/org/repo.git',
    'https://10.0.0.1/org/repo.git',
    'https://[fd00::1]/org/repo.git',
    `ssh://git@127.0.0.1:${p}/org/repo.git`,
    `ssh://git@2130706433:${p}/org/repo.git`,
    `git://127.0.0.1:${p}/org/repo.git`,
    'git@localhost:org/repo.git',
  ];
  // This machine's own name usually resolves to loopback too (/etc/hosts).
  const own = await lookup(os.hostname(), { all: true }).catch(() => []);
  if (own.length > 0 && own.every((a) => a.address.startsWith('127.') || a.address === '::1'))
    hostile.push(`http://${os.hostname()}:${p}/org/repo.git`);
});

afterAll(async () => {
  await v4?.close();
  await v6?.close();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as AppError,
  );
const repoFailure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe('repository URLs that lead to this host or its networks are refused (KEELSON_ALLOW_LOCAL_REPOS=false)', () => {
  it('registering a repository: 400 on the url field, nothing stored, no connection', async () => {
    for (const url of hostile) {
      const err = await failure(addRepository(t.deps(), box, strict, me, { url }, false));
      expect(err?.status, url).toBe(400);
      expect(err?.details.issues?.[0]?.path, url).toBe('url');
      expect(err?.message, url).toMatch(/refused|not a repository URL/);
    }
    expect(await t.handle.db.select().from(repositories)).toEqual([]);
    expect(v4.count() + v6.count()).toBe(0);
  });

  it('creating an Application: 400 on spec.source.repoURL, nothing stored, no connection', async () => {
    for (const [i, url] of hostile.entries()) {
      const err = await failure(
        createApplication(t.deps(), me, appDoc(`ssrf-${i}`, { repoURL: url }), {
          allowLocalRepos: false,
          jq: new JqRunner(),
        }),
      );
      expect(err?.status, url).toBe(400);
      expect(err?.details.issues?.[0]?.path, url).toBe('spec.source.repoURL');
      expect(err?.message, url).toMatch(/loopback|link-local|unspecified|private/);
    }
    expect(await t.handle.db.select().from(applications)).toEqual([]);
    expect(v4.count() + v6.count()).toBe(0);
  });

  it('applying a Task through the git resolver: 400 naming the taskRef, nothing stored, no connection', async () => {
    const fetchRef = createRefFetcher(t.deps(), box, strict);
    for (const url of hostile) {
      const doc = {
        apiVersion: 'tekton.dev/v1',
        kind: 'Pipeline',
        metadata: { name: 'ssrf' },
        spec: {
          tasks: [
            {
              name: 't',
              taskRef: {
                resolver: 'git',
                params: [
                  { name: 'url', value: url },
                  { name: 'pathInRepo', value: 'task.yaml' },
                ],
              },
            },
          ],
        },
      };
      const err = await failure(applyDocuments(t.deps(), me, doc, box, undefined, fetchRef));
      expect(err?.status, url).toBe(400);
      const issue = err?.details.issues?.[0];
      expect(issue?.path, url).toBe('documents[0].spec.tasks[0].taskRef');
      expect(issue?.message, url).toMatch(/refused/);
    }
    expect(await t.handle.db.select().from(definitions)).toEqual([]);
    expect(v4.count() + v6.count()).toBe(0);
  });

  it('every fetch checks again (the controller fetching a stored app whose host now resolves to loopback)', async () => {
    for (const url of hostile) {
      const err = await repoFailure(strict.resolveRevision({ url }, 'main'));
      expect(isRepoError(err) && err.code, url).toBe('REFUSED_ADDRESS');
      // The category only: never what an internal name resolved to, nor anything git said.
      expect(err?.message, url).not.toMatch(/connect|curl|fatal|could not/i);
      const byName = /^[a-z]/i.test(url.replace(/^\w+:\/\//, '').replace(/^[^@/]*@/, ''));
      if (byName) expect(err?.message, url).not.toMatch(/127\.0\.0\.1|::1/);
    }
    expect(v4.count() + v6.count()).toBe(0);
  });

  it('refuses option-like and ext:: URLs as not repository URLs', async () => {
    for (const url of [
      '--upload-pack=touch /tmp/keelson-pwned',
      'ext::sh -c touch% /tmp/keelson-pwned',
      '-oProxyCommand=id:x',
    ]) {
      const err = await failure(addRepository(t.deps(), box, strict, me, { url }, false));
      expect(err?.status, url).toBe(400);
      expect(err?.details.issues?.[0]?.path, url).toBe('url');
    }
  });

  it('refuses plain http:// and git:// to a public address (credentials would cross the internet unencrypted)', async () => {
    for (const url of ['http://140.82.112.3/org/repo.git', 'git://140.82.112.3/org/repo.git']) {
      const err = await repoFailure(strict.resolveRevision({ url }, 'main'));
      expect(isRepoError(err) && err.code, url).toBe('REFUSED_ADDRESS');
      expect(err?.message).toMatch(/unencrypted.*https:\/\//);
    }
  });

  it('fetches from private networks named in KEELSON_ALLOW_PRIVATE_REPO_HOSTS (a self-hosted GitLab on 10.x), never loopback through it', async () => {
    const listed = createRepoMirrors({
      cacheDir: await mkdtemp(path.join(os.tmpdir(), 'keelson-ssrf-private-')),
      allowLocal: false,
      privateHosts: ['10.0.0.0/8', 'localhost'],
    });
    await expect(listed.checkUrl('https://10.20.30.40/group/deploy.git')).resolves.toBeUndefined();
    await expect(listed.checkUrl('http://10.20.30.40/group/deploy.git')).resolves.toBeUndefined();
    const local = await repoFailure(listed.checkUrl(`http://localhost:${v4.port}/x.git`));
    expect(isRepoError(local) && local.code).toBe('REFUSED_ADDRESS');
    const other = await repoFailure(listed.checkUrl('https://192.168.1.10/x.git'));
    expect(other?.message).toMatch(/private-network address.*KEELSON_ALLOW_PRIVATE_REPO_HOSTS/);
    expect(v4.count() + v6.count()).toBe(0);
  });
});
