/**
 * Which live objects an app may see: those its project permits (Argo CD's IsLiveResourcePermitted, read from the
 * project as stored now) and, among those found under one of its desired keys, none tracked by another app. The
 * controller attaches only these to the app's live state and tree; the logs and resource reads check the same.
 */
import { groupOf, parseTrackingId, TRACKING_ANNOTATION, type KubeObject } from '@/lib/domain/gitops';
import { isLiveResourcePermitted, type LiveResourceRef, type TAppProject } from '@/lib/domain/gitops/projects';
import { destinationOf } from './app-project';
import type { GitopsDeps } from './ports';

/** True when the app's project permits a live object (or a resource reference) of this kind and namespace. */
export type LiveScope = (res: LiveResourceRef) => boolean;

export const refOfLive = (obj: KubeObject): LiveResourceRef => ({
  group: groupOf(obj.apiVersion),
  kind: obj.kind,
  namespace: obj.metadata.namespace ?? '',
  name: obj.metadata.name ?? '',
});

/** The scope of an app of `project` (none at all when the project does not exist) on its cluster. */
export async function liveScopeOf(
  deps: Pick<GitopsDeps, 'gitops'>,
  project: TAppProject | undefined,
  clusterName: string,
): Promise<LiveScope> {
  if (!project) return () => false;
  const { name, server } = await destinationOf(deps, clusterName, '');
  return (res) => isLiveResourcePermitted(project, { name, server }, res);
}

/** The scope of a stored app, with its project as the access control reads it. */
export async function appLiveScope(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  app: { project: string; clusterName: string },
): Promise<LiveScope> {
  return liveScopeOf(deps, await deps.access.project(app.project), app.clusterName);
}

/**
 * The other app a live object's tracking annotation names (Argo CD's SharedResourceWarning case), or undefined.
 * A copy counts too (a ReplicaSet carries its Deployment's annotation): it is another app's object all the same.
 */
export function otherOwner(obj: KubeObject, appName: string): string | undefined {
  const raw = obj.metadata.annotations?.[TRACKING_ANNOTATION];
  const owner = raw === undefined ? undefined : parseTrackingId(raw)?.app;
  return owner !== undefined && owner !== appName ? owner : undefined;
}

/** The SharedResourceWarning message, as Argo CD words it. */
export const sharedResourceMessage = (obj: KubeObject, appName: string, other: string) =>
  `${obj.kind}/${obj.metadata.name ?? ''} is part of applications ${appName} and ${other}`;
