/**
 * A real gitops controller on a test database, the test cluster registered as "test", and helpers
 * that write applications and requests the way the API services do (rows + NOTIFY).
 *   const h = await startGitops();
 *   await h.createApp('web', { source: { repoURL: repo.url, path: 'app' }, destination: { name: 'test', namespace } });
 *   await h.waitApp('web', (a) => a.syncStatus === 'Synced');
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { afterAll } from 'vitest';
import { appHistory, appOperations, applications, clusters } from '@/lib/adapters/db/schema';
import { normalizeRepoUrl } from '@/lib/adapters/git';
import { ZApplicationSpec, type TApplicationSpecInput, type TOperationState } from '@/lib/schemas/applications';
import { createGitopsController, type GitopsController } from '@/lib/server/gitops/controller';
import { notifyController } from '@/lib/server/gitops/notify-controller';
import { secretBox } from '@/lib/server/security/secret-box';
import { helmBin, kustomizeBin } from '../../cluster/binaries';
import { createTestRepo, type TestRepo } from '../support/git-repos';
import { testDatabase, type TestDatabase } from '../support/test-database';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { connectTestCluster } from './k8s-helpers';
import { kubeconfigPath, waitFor } from './cluster';

const SECRET = 'gitops-harness-secret-key-0123456789abcdef';
export type AppRow = typeof applications.$inferSelect;
export type OpRow = typeof appOperations.$inferSelect;

export interface Gitops {
  t: TestDatabase;
  readonly controller: GitopsController;
  /** Stops the controller (as SIGTERM does) and starts a new one on the same database. */
  restartController(): Promise<void>;
  /** Registers another cluster (a kubeconfig's text) under `name`, as `keelson cluster add` stores it. */
  addCluster(name: string, kubeconfig: string): Promise<void>;
  createApp(name: string, spec: TApplicationSpecInput): Promise<AppRow>;
  updateSpec(name: string, change: (spec: AppRow['spec']) => AppRow['spec']): Promise<void>;
  app(name: string): Promise<AppRow>;
  waitApp(name: string, ok: (a: AppRow) => boolean, what?: string, timeoutMs?: number): Promise<AppRow>;
  refresh(name: string, hard?: boolean): Promise<void>;
  sync(
    name: string,
    sync?: Partial<TOperationState['operation']['sync']>,
    extra?: Partial<TOperationState['operation']>,
  ): Promise<string>;
  waitOperation(id: string, timeoutMs?: number): Promise<OpRow>;
  history(name: string): Promise<(typeof appHistory.$inferSelect)[]>;
  lastOperation(name: string): Promise<OpRow | undefined>;
  /** A real git repo with these files on `main`, removed after the file's tests. */
  repo(files: Record<string, string | null>): Promise<TestRepo>;
  /** A connection to the test cluster for assertions. */
  conn: KubeConnection;
  stop(): Promise<void>;
}

export async function startGitops(
  opts: { resyncSeconds?: number; concurrency?: number; ignoreResourceUpdates?: boolean } = {},
): Promise<Gitops> {
  const t = await testDatabase();
  const box = secretBox(SECRET);
  const deps = t.deps();
  const addCluster = async (name: string, content: string) => {
    await t.handle.db.insert(clusters).values({
      name,
      server: `https://${name}`,
      sealedCredentials: box.seal(JSON.stringify({ type: 'kubeconfig', content })),
      createdBy: 'test',
    });
  };
  await addCluster('test', readFileSync(kubeconfigPath, 'utf8'));
  const dataDir = mkdtempSync(join(tmpdir(), 'keelson-gitops-'));
  const makeController = () =>
    createGitopsController(deps, t.handle.pool, {
      dataDir,
      box,
      allowLocalRepos: true,
      concurrency: opts.concurrency ?? 4,
      resyncSeconds: opts.resyncSeconds ?? 180,
      helmBin: helmBin(),
      kustomizeBin: kustomizeBin(),
      scanMs: 200,
      ignoreResourceUpdates: opts.ignoreResourceUpdates,
      log: (l) => process.env.KEELSON_TEST_VERBOSE && console.log(l),
    });
  let controller = makeController();
  const repos: TestRepo[] = [];
  const conn = await connectTestCluster();
  const app = async (name: string) =>
    (await t.handle.db.select().from(applications).where(eq(applications.name, name)))[0];
  const h: Gitops = {
    t,
    conn,
    async repo(files) {
      const r = await createTestRepo({ files });
      repos.push(r);
      return r;
    },
    get controller() {
      return controller;
    },
    async restartController() {
      await controller.stop();
      controller = makeController();
    },
    addCluster,
    async createApp(name, input) {
      const spec = ZApplicationSpec.parse(input);
      const [row] = await t.handle.db
        .insert(applications)
        .values({
          name,
          spec,
          repoUrl: spec.source.repoURL,
          normalizedRepoUrl: normalizeRepoUrl(spec.source.repoURL),
          targetRevision: spec.source.targetRevision,
          path: spec.source.path,
          clusterName: spec.destination.name ?? 'test',
          destNamespace: spec.destination.namespace,
          automated: Boolean(spec.syncPolicy.automated),
          refreshRequested: 'normal',
          createdBy: 'test',
        })
        .returning();
      await notifyController(deps, name);
      return row;
    },
    async updateSpec(name, change) {
      const row = await app(name);
      const spec = change(structuredClone(row.spec));
      await t.handle.db
        .update(applications)
        .set({
          spec,
          generation: row.generation + 1,
          automated: Boolean(spec.syncPolicy.automated),
          refreshRequested: 'normal',
        })
        .where(eq(applications.id, row.id));
      await notifyController(deps, name);
    },
    app,
    waitApp: (name, ok, what = 'app state', timeoutMs = 30_000) =>
      waitFor(
        `${name}: ${what}`,
        async () => {
          const a = await app(name);
          return a && ok(a) ? a : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      ),
    async refresh(name, hard = false) {
      await t.handle.db
        .update(applications)
        .set({ refreshRequested: hard ? 'hard' : 'normal' })
        .where(eq(applications.name, name));
      await notifyController(deps, name);
    },
    async sync(name, sync = {}, extra = {}) {
      const row = await app(name);
      const [op] = await t.handle.db
        .insert(appOperations)
        .values({
          appId: row.id,
          operation: {
            sync: {
              revision: row.pinned?.revision ?? row.spec.source.targetRevision,
              prune: false,
              dryRun: false,
              syncOptions: [],
              ...sync,
            },
            initiatedBy: { username: 'tester' },
            ...extra,
          },
        })
        .returning();
      await notifyController(deps, name);
      return op.id;
    },
    waitOperation: (id, timeoutMs = 60_000) =>
      waitFor(
        `operation ${id} to finish`,
        async () => {
          const [op] = await t.handle.db.select().from(appOperations).where(eq(appOperations.id, id));
          return op?.finishedAt ? op : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      ),
    async history(name) {
      const row = await app(name);
      return t.handle.db.select().from(appHistory).where(eq(appHistory.appId, row.id)).orderBy(desc(appHistory.id));
    },
    async lastOperation(name) {
      const row = await app(name);
      const [op] = await t.handle.db
        .select()
        .from(appOperations)
        .where(eq(appOperations.appId, row.id))
        .orderBy(desc(appOperations.startedAt))
        .limit(1);
      return op;
    },
    async stop() {
      await controller.stop();
      conn.close();
      await Promise.all(repos.map((r) => r.cleanup()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  afterAll(() => h.stop());
  return h;
}

export async function openOperation(h: Gitops, name: string): Promise<OpRow | undefined> {
  const row = await h.app(name);
  const [op] = await h.t.handle.db
    .select()
    .from(appOperations)
    .where(and(eq(appOperations.appId, row.id), isNull(appOperations.finishedAt)));
  return op;
}
