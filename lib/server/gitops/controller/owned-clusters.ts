/**
 * Each controller watches only the clusters its own apps need: on every membership change and every `periodMs`,
 * a watch of a cluster none of its apps points at (any more) is closed once it was unneeded for `graceMs`, and the
 * clusters of the apps it owns now (some taken over from another controller) are opened.
 */
import { dbErrorSummary } from '@/lib/domain/error-message';
import type { ControllerRuntime } from './runtime';
import type { ControllerShard } from './shard';

export interface OwnedClusters {
  /** Computes the needed clusters and closes the others' watches now (tests). */
  sweep(): Promise<void>;
  stop(): void;
}

export function keepOwnedClusters(
  rt: Pick<ControllerRuntime, 'apps' | 'clusters' | 'deps' | 'log'>,
  shard: ControllerShard,
  o: { graceMs: number; periodMs: number },
): OwnedClusters {
  let running: Promise<void> | undefined;
  const sweepOnce = async () => {
    // A watch used after the apps were listed is kept: the app using it may be new.
    const unusedSince = rt.deps.now().getTime() - o.graceMs;
    const needed = new Set<string>();
    for (const app of await rt.apps.listKeys()) if (shard.owns(app.name)) needed.add(app.cluster);
    const closed = await rt.clusters.retain(needed, unusedSince);
    if (closed.length > 0)
      rt.log(`[gitops] closed the watch of ${closed.join(', ')}: no app of this controller uses it`);
    // Apps taken over from another controller see their live changes at once, not after their next refresh.
    const watched = new Set(rt.clusters.watched());
    await Promise.all([...needed].filter((c) => !watched.has(c)).map((c) => rt.clusters.get(c)));
  };
  const sweep = () => {
    running ??= sweepOnce()
      .catch((err: unknown) => rt.log(`[gitops] cluster sweep failed: ${dbErrorSummary(err)}`))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void sweep(), o.periodMs);
  shard.onChange(() => void sweep());
  return { sweep, stop: () => clearInterval(timer) };
}
