/**
 * Sharded gitops controllers on one test database: in-process ones whose refreshes are recorded (through their
 * member store, the real one, decorated), killable child processes (gitops-controller-process.ts), and apps written
 * the way the API services write them (rows + NOTIFY).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { connectDb } from '@/lib/adapters/db/client';
import { createControllerMemberStore } from '@/lib/adapters/db/controller-member-store';
import { createGitopsStores } from '@/lib/adapters/db/gitops-stores';
import { createServiceStores } from '@/lib/adapters/db/service-stores';
import { applications, clusters } from '@/lib/adapters/db/schema';
import { normalizeRepoUrl } from '@/lib/adapters/git';
import { ZApplicationSpec, type TApplicationSpecInput } from '@/lib/schemas/applications';
import { createGitopsController, type GitopsController } from '@/lib/server/gitops/controller';
import { notifyController } from '@/lib/server/gitops/notify-controller';
import type { ControllerMemberStore } from '@/lib/server/gitops/ports';
import { secretBox } from '@/lib/server/security/secret-box';
import { helmBin, kustomizeBin } from '../../cluster/binaries';
import type { TestDatabase } from '../support/test-database';
import { kubeconfigPath, waitFor } from './cluster';
import { eachLine } from '../support/each-line';

export const BOX_KEY = 'gitops-sharding-secret-key-0123456789abcdef';
export const LEASE_SECONDS = 3;

/** Every refresh lease taken, by whom and when; and any app held by two recorded controllers at once. */
export interface RefreshLog {
  claims: { app: string; by: string; at: number }[];
  overlaps: string[];
}

export function refreshLog(): RefreshLog & { record(store: ControllerMemberStore, by: string): ControllerMemberStore } {
  const held = new Map<string, string>();
  const log: RefreshLog = { claims: [], overlaps: [] };
  return {
    ...log,
    record: (store, by) => ({
      ...store,
      async claimRefresh(app, owner) {
        const ok = await store.claimRefresh(app, owner);
        if (ok) {
          const other = held.get(app);
          if (other && other !== by) log.overlaps.push(`${app}: ${other} and ${by}`);
          held.set(app, by);
          log.claims.push({ app, by, at: Date.now() });
        }
        return ok;
      },
      async releaseRefresh(app, owner) {
        if (held.get(app) === by) held.delete(app);
        await store.releaseRefresh(app, owner);
      },
    }),
  };
}

export async function registerClusters(t: TestDatabase, names: string[]): Promise<void> {
  const box = secretBox(BOX_KEY);
  const content = readFileSync(kubeconfigPath, 'utf8');
  for (const name of names)
    await t.handle.db.insert(clusters).values({
      name,
      server: `https://${name}`,
      sealedCredentials: box.seal(JSON.stringify({ type: 'kubeconfig', content })),
      createdBy: 'test',
    });
}

/** An in-process controller on its own connections, sharing the apps; its refreshes go to `log`. */
export function startShardedController(
  t: TestDatabase,
  label: string,
  log: ReturnType<typeof refreshLog>,
): GitopsController {
  const handle = connectDb(t.url, { max: 8 });
  const now = () => new Date();
  const deps = { gitops: createGitopsStores(handle.db, now), now, ...createServiceStores(handle.db, now) };
  const c = createGitopsController(deps, handle.pool, {
    dataDir: mkdtempSync(join(tmpdir(), 'keelson-shard-')),
    box: secretBox(BOX_KEY),
    allowLocalRepos: true,
    concurrency: 4,
    resyncSeconds: 180,
    helmBin: helmBin(),
    kustomizeBin: kustomizeBin(),
    scanMs: 200,
    sharding: {
      members: log.record(createControllerMemberStore(handle.db), label),
      host: 'test',
      pid: process.pid,
      leaseSeconds: LEASE_SECONDS,
      clusterGraceMs: 0,
      clusterSweepMs: 300,
    },
    log: (l) => process.env.KEELSON_TEST_VERBOSE && console.log(`${label} ${l}`, now().toISOString()),
  });
  return {
    ...c,
    async stop() {
      await c.stop();
      await handle.close();
    },
  };
}

export async function createApp(t: TestDatabase, name: string, input: TApplicationSpecInput): Promise<void> {
  const spec = ZApplicationSpec.parse(input);
  await t.handle.db.insert(applications).values({
    name,
    spec,
    repoUrl: spec.source.repoURL,
    normalizedRepoUrl: normalizeRepoUrl(spec.source.repoURL),
    targetRevision: spec.source.targetRevision,
    path: spec.source.path,
    clusterName: spec.destination.name ?? 'test',
    destNamespace: spec.destination.namespace,
    automated: false,
    refreshRequested: 'normal',
    createdBy: 'test',
  });
  await notifyController(t.deps(), name);
}

/** Asks a refresh of these apps (as `app get --refresh` does) and waits until each was compared again. */
export async function refreshAll(t: TestDatabase, names: string[]): Promise<void> {
  const since = new Date();
  await t.handle.db.update(applications).set({ refreshRequested: 'normal' }).where(inArray(applications.name, names));
  for (const n of names) await notifyController(t.deps(), n);
  await waitFor(`${names.length} apps compared again`, async () => {
    const rows = await t.handle.db
      .select({ at: applications.reconciledAt, asked: applications.refreshRequested })
      .from(applications)
      .where(inArray(applications.name, names));
    return rows.every((r) => r.at && r.at >= since && r.asked === null);
  });
}

export const reconciledAt = async (t: TestDatabase, name: string) =>
  (await t.handle.db.select().from(applications).where(eq(applications.name, name)))[0]?.reconciledAt;

/** A controller child process (killable); `member` is its id once it joined. */
export interface ControllerProcess {
  child: ChildProcess;
  member: Promise<string>;
  refreshed: string[];
  output: string[];
}

export function spawnControllerProcess(t: TestDatabase): ControllerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/support/gitops-controller-process.ts'], {
    env: {
      ...process.env,
      CONTROLLER_DATABASE_URL: t.url,
      CONTROLLER_BOX_KEY: BOX_KEY,
      CONTROLLER_LEASE_SECONDS: String(LEASE_SECONDS),
      CONTROLLER_DATA_DIR: mkdtempSync(join(tmpdir(), 'keelson-shard-process-')),
      CONTROLLER_CONCURRENCY: '4',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: ControllerProcess = { child, member: Promise.resolve(''), refreshed: [], output: [] };
  p.member = new Promise((resolve, reject) => {
    eachLine(child.stdout!, (line) => {
      p.output.push(line);
      if (line.startsWith('member ')) resolve(line.slice('member '.length));
      if (line.startsWith('refreshed ')) p.refreshed.push(line.slice('refreshed '.length));
    });
    child.stderr!.on('data', (chunk: Buffer) => p.output.push(chunk.toString()));
    child.on('exit', (code) => reject(new Error(`controller process exited (${code}): ${p.output.join('\n')}`)));
  });
  return p;
}
