import { resourceKey } from '@/lib/domain/gitops';
import type { ControlledApp } from '../app-target';
import { objectKey } from './object-key';
import { liveScopeOf, refOfLive } from '../live-scope';
import { currentProject } from './project-rules';
import { liveStateOf } from './reconcile-app';
import type { ControllerRuntime } from './runtime';

/**
 * A delete with cascade (Argo CD's resources finalizer): delete every live object the app tracks that its project
 * permits now (Argo CD's getPermittedAppLiveObjects: one in a kind or namespace the project no longer allows is left
 * alone, so narrowing a project cannot make the controller delete outside it), then the app. The objects left are
 * named in the log and in the audit row's `details.leftOutsideProject`. While the cluster cannot be reached the app
 * stays, with a condition saying why.
 */
export async function deleteApp(rt: ControllerRuntime, app: ControlledApp): Promise<'deleted' | 'waiting'> {
  let left: string[] = [];
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
    const permitted = await liveScopeOf(rt.deps, await currentProject(rt, app.project), app.clusterName);
    const { tracked } = await liveStateOf(watch, app.name, []);
    const doomed = tracked.filter((o) => permitted(refOfLive(o)));
    left = tracked.filter((o) => !permitted(refOfLive(o))).map(resourceKey);
    if (left.length > 0)
      rt.log(`deleting ${app.name}: left ${left.length} object(s) its project no longer permits: ${left.join(', ')}`);
    await Promise.all(doomed.map((o) => watch.client.delete(objectKey(o), { propagationPolicy: 'Foreground' })));
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
      ...(left.length > 0 ? { details: { leftOutsideProject: left } } : {}),
    });
  });
  return 'deleted';
}
