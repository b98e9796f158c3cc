import type { AppRow } from '../app-target';
import { objectKey } from './object-key';
import { liveStateOf } from './reconcile-app';
import type { ControllerRuntime } from './runtime';

/**
 * A delete with cascade (Argo CD's resources finalizer): delete every live object the app tracks,
 * then the app. While the cluster cannot be reached the app stays, with a condition saying why.
 */
export async function deleteApp(rt: ControllerRuntime, app: AppRow): Promise<'deleted' | 'waiting'> {
  if (app.deletion?.cascade) {
    const watch = await rt.clusters.get(app.clusterName);
    const down = 'error' in watch ? watch.error : watch.unreachable();
    if (down || 'error' in watch) {
      const message = `Deleting: cluster "${app.clusterName}" is unreachable (${down}); resources will be deleted when it answers`;
      await rt.apps.saveStatus(app.id, {
        conditions: [{ type: 'DeletionError', message, lastTransitionTime: rt.deps.now().toISOString() }],
      });
      return 'waiting';
    }
    const { tracked } = await liveStateOf(watch, app.name, []);
    await Promise.all(tracked.map((o) => watch.client.delete(objectKey(o), { propagationPolicy: 'Foreground' })));
  }
  // The row and its audit row go together.
  await rt.deps.gitops.transaction(async (tx) => {
    await tx.apps.deleteById(app.id);
    await tx.audit.record({
      actor: app.deletion?.requestedBy ?? 'controller',
      via: 'controller',
      action: 'application.delete',
      target: `application/${app.name}`,
      result: 'success',
    });
  });
  return 'deleted';
}
