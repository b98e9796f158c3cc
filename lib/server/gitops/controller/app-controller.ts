/**
 * The gitops controller: refreshes apps (on a timer, on request, within moments of a live change),
 * starts automated syncs, and drives sync operations and cascade deletions. Two bounded pools keep
 * long syncs from starving refreshes. Postgres NOTIFY wakes it at once; a scan every second
 * catches anything a lost notification or a crashed controller left behind.
 */
import type pg from 'pg';
import type { CacheEvent } from '@/lib/adapters/k8s';
import { isIgnorableUpdate, trackedBy } from '@/lib/domain/gitops';
import { activeAutomation } from '@/lib/schemas/applications';
import { CONTROLLER_CHANNEL } from '../notify-controller';
import { autoSyncApp } from './auto-sync-app';
import { deleteApp } from './delete-app';
import { driveOperation } from './drive-operation';
import { reconcileApp, type RefreshMode } from './reconcile-app';
import type { ControllerRuntime } from './runtime';
import { wholeShard, type ControllerShard } from './shard';
import { createWorkQueue } from './work-queue';

export interface AppControllerOptions {
  concurrency: number;
  /** Pool to hold the LISTEN connection. */
  pool: pg.Pool;
  scanMs?: number;
  /** Debounce of live changes before a refresh. */
  liveDebounceMs?: number;
  /** Which apps this controller works on (default: all, alone). */
  shard?: ControllerShard;
  /** Lease of the sync operations it drives (default LEASE_MS): another controller resumes one after it. */
  operationLeaseMs?: number;
  /**
   * Argo CD's ignoreResourceUpdates (default true, as in Argo CD 3): an update that only moved a live object's status
   * and kept its health status and message refreshes no app.
   */
  ignoreResourceUpdates?: boolean;
}

export interface AppController {
  /** Asks for a refresh (and a look at the operation) of one app now. */
  kick(name: string, mode?: RefreshMode): void;
  /** The handler for cluster cache events (wire it into the cluster registry). */
  onLiveChange(cluster: string, event: CacheEvent): void;
  /** Resolves when both pools are empty (benchmarks and tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const RANK: Record<RefreshMode, number> = { live: 0, poll: 1, normal: 2, hard: 3 };
/** Due apps read per scan; the next scan reads on from the last name. */
const SCAN_PAGE = 2000;

export function startAppController(rt: ControllerRuntime, opts: AppControllerOptions): AppController {
  const shard = opts.shard ?? wholeShard();
  const owner = shard.id;
  const ignoreUpdates = opts.ignoreResourceUpdates ?? true;
  let stopping = false;
  const modes = new Map<string, RefreshMode>();
  const liveTimers = new Map<string, NodeJS.Timeout>();
  const delayed = new Set<NodeJS.Timeout>();
  const log = (line: string) => rt.log(`[gitops] ${line}`);

  const refresh = createWorkQueue<string>(
    opts.concurrency,
    (name) => refreshOne(name),
    (name, err) => log(`refresh of ${name} failed: ${(err as Error).stack ?? err}`),
  );
  const operations = createWorkQueue<string>(
    opts.concurrency,
    (name) => operateOne(name),
    (name, err) => log(`operation of ${name} failed: ${(err as Error).stack ?? err}`),
  );

  const load = (name: string) => rt.apps.findControlled(name);

  async function refreshOne(name: string): Promise<void> {
    if (!shard.owns(name)) return void modes.delete(name);
    // Another controller (whose view of the members differs for a moment) refreshing it now compares it anyway.
    if (!(await shard.exclusive(name, () => refreshOwned(name)))) modes.delete(name);
  }

  async function refreshOwned(name: string): Promise<void> {
    const asked = modes.get(name);
    modes.delete(name);
    const app = await load(name);
    if (!app) return;
    if (app.deletion) {
      if ((await deleteApp(rt, app)) === 'deleted') log(`deleted ${name}`);
      return;
    }
    const now = rt.deps.now();
    const requested = app.refreshRequested === 'hard' ? 'hard' : app.refreshRequested ? 'normal' : undefined;
    const due = app.nextReconcileAt <= now || app.reconciledGeneration !== app.generation ? 'poll' : undefined;
    const candidates = [asked, requested, due].filter((m): m is RefreshMode => m !== undefined);
    if (candidates.length === 0) return;
    const mode = candidates.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    // The request is cleared with the comparison it asked for (one write), so `app get --refresh` can wait for it; a
    // request that arrived meanwhile (another value) stays and gets its own refresh.
    const result = await reconcileApp(rt, app, mode);
    // Only an automated app has more to decide. A spec made automated meanwhile is a new generation: compared again.
    if (!activeAutomation(app.spec.syncPolicy)) return;
    const fresh = await load(name);
    if (!fresh || fresh.deletion) return;
    // A spec replaced during this compare (a new generation: automation turned on, another project) is compared
    // again before auto-sync decides: the conditions stored now (InvalidSpecError…) belong to the previous spec.
    const decision = fresh.generation === app.generation ? await autoSyncApp(rt, fresh, result) : undefined;
    if (decision?.started) log(`${name}: ${decision.reason}`);
    if (decision?.blocked) log(`${name}: ${decision.blocked}`);
    if (decision?.retryAfterMs !== undefined) {
      const t = setTimeout(() => {
        delayed.delete(t);
        kick(name, 'live');
      }, decision.retryAfterMs + 50);
      delayed.add(t);
    }
    operations.add(name);
  }

  async function operateOne(name: string): Promise<void> {
    if (!shard.owns(name)) return;
    const app = await load(name);
    if (!app || app.deletion) return;
    await driveOperation(rt, { owner, stopping: () => stopping, leaseMs: opts.operationLeaseMs }, app);
  }

  function kick(name: string, mode: RefreshMode = 'normal'): void {
    if (stopping || !shard.owns(name)) return;
    const had = modes.get(name);
    if (!had || RANK[mode] > RANK[had]) modes.set(name, mode);
    refresh.add(name);
    operations.add(name);
  }

  let scanFrom: string | undefined;
  async function scan(): Promise<void> {
    const now = rt.deps.now();
    const due = await rt.apps.dueForRefresh(now, SCAN_PAGE, scanFrom);
    scanFrom = due.length === SCAN_PAGE ? due[due.length - 1] : undefined;
    for (const name of due) if (shard.owns(name)) refresh.offer(name);
    for (const name of await rt.operations.appsWithDueOperations(now)) if (shard.owns(name)) operations.offer(name);
  }

  let scanning = false;
  const scanTimer = setInterval(() => {
    if (scanning || stopping) return;
    scanning = true;
    scan()
      .catch((err: unknown) => log(`scan failed: ${(err as Error).message}`))
      .finally(() => {
        scanning = false;
      });
  }, opts.scanMs ?? 1_000);

  // LISTEN on a dedicated connection; reconnect after errors.
  let listener: pg.PoolClient | undefined;
  const listen = async (): Promise<void> => {
    if (stopping) return;
    try {
      const client = await opts.pool.connect();
      listener = client;
      // A wake-up, not a refresh request: what was asked (a refresh and its level) is in the app's row, so a sync's
      // NOTIFY compares with a recent fetch instead of fetching again.
      client.on('notification', (msg) => msg.payload && kick(msg.payload, 'poll'));
      client.on('error', () => {
        // After stop() released it, the server's goodbye (e.g. a shutdown) must not release it twice.
        if (listener !== client) return;
        client.release(true);
        listener = undefined;
        setTimeout(() => void listen(), 1_000);
      });
      await client.query(`LISTEN ${CONTROLLER_CHANNEL}`);
    } catch (err) {
      log(`LISTEN failed: ${(err as Error).message}; retrying`);
      setTimeout(() => void listen(), 1_000);
    }
  };
  void listen();
  void scan().catch(() => undefined);
  // Apps this controller now owns (a member left or died) are picked up by the next scan: run it now.
  shard.onChange(() => void (!scanning && !stopping && scan().catch(() => undefined)));

  return {
    kick,
    onLiveChange(cluster, event) {
      if (stopping) return;
      // A tracked object refreshes its app; an untracked top-level one, the apps monitoring orphans there.
      const tracked = trackedBy(event.obj);
      const apps = tracked ? [tracked] : rt.orphanWatchers.appsFor(cluster, event.obj);
      if (apps.length === 0) return;
      if (event.type === 'MODIFIED' && ignoreUpdates && isIgnorableUpdate(event.previous, event.obj)) return;
      for (const app of apps) {
        if (liveTimers.has(app)) continue;
        const t = setTimeout(() => {
          liveTimers.delete(app);
          kick(app, 'live');
        }, opts.liveDebounceMs ?? 150);
        liveTimers.set(app, t);
      }
    },
    async idle() {
      await Promise.all([refresh.idle(), operations.idle()]);
    },
    async stop() {
      stopping = true;
      clearInterval(scanTimer);
      for (const t of [...liveTimers.values(), ...delayed]) clearTimeout(t);
      await Promise.all([refresh.stop(), operations.stop()]);
      const client = listener;
      listener = undefined;
      if (client) {
        await client.query(`UNLISTEN ${CONTROLLER_CHANNEL}`).catch(() => undefined);
        client.release();
      }
    },
  };
}
