import { connect, listEvents, type EventTarget } from '@/lib/adapters/k8s';
import { clusterTargetFor } from '../app-target';
import { formatResourceKey } from '@/lib/domain/gitops';
import { AppError } from '@/lib/errors';
import type { TResourceDetail } from '@/lib/schemas/applications';
import type { SecretBox } from '../../security/secret-box';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { appLiveScope } from '../live-scope';
import { loadAppFor } from './app-access';

export interface ResourceRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

const EVENTS_TIMEOUT_MS = 5_000;

/**
 * Events about the object, from its cluster. The panel is useful without them, so an unreachable
 * cluster (or bad stored credentials) gives no events rather than an error, and a slow one is cut off.
 */
async function eventsFor(
  deps: Pick<GitopsDeps, 'gitops'>,
  box: SecretBox,
  clusterName: string,
  target: EventTarget,
): Promise<TResourceDetail['events']> {
  let conn;
  try {
    const cluster = await clusterTargetFor(deps, box, clusterName);
    if (!cluster) return [];
    conn = await connect(cluster.credentials);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), EVENTS_TIMEOUT_MS).unref(),
    );
    const events = await Promise.race([listEvents(conn, target, { limit: 50 }), timeout]);
    return events.map((e) => ({
      type: e.type,
      reason: e.reason,
      message: e.message,
      count: e.count,
      lastTimestamp: e.lastTimestamp,
    }));
  } catch {
    return [];
  } finally {
    conn?.close();
  }
}

/** One node of the app: status and health, live and desired manifests, the diff and its events. */
export async function getResourceDetail(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  box: SecretBox,
  principal: Principal,
  appName: string,
  ref: ResourceRef,
): Promise<TResourceDetail> {
  const app = await loadAppFor(deps, principal, appName, 'get');
  const key = formatResourceKey(ref);
  const resource = app.resources.find((r) => formatResourceKey(r) === key);
  const node = app.tree.find((n) => n.key === key);
  // As Argo CD's getAppLiveResource: nothing is shown of a place the app's project does not permit.
  const permitted = (await appLiveScope(deps, app))(ref);
  if ((!resource && !node) || !permitted) {
    throw new AppError(
      'NOT_FOUND',
      `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} is not part of "${appName}".`,
      { hint: `See the resources with \`keelson app get ${appName}\`.` },
    );
  }
  const diff = app.diffs[key];
  // Events only of the live object the controller attached to the app (by its uid): a missing resource's name may
  // be another app's object.
  const events = node?.uid
    ? await eventsFor(deps, box, app.clusterName, {
        kind: ref.kind,
        name: ref.name,
        namespace: ref.namespace || undefined,
        uid: node.uid,
      })
    : [];
  return {
    key,
    ...ref,
    status: resource?.status ?? node?.sync,
    health: resource?.health ?? node?.health,
    liveManifest: diff?.live,
    desiredManifest: diff?.desired,
    diff: diff?.diff ?? '',
    events,
  };
}
