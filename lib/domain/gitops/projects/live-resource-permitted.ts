/**
 * AppProject.IsLiveResourcePermitted: may an app of this project see (and act on) a live object found in its
 * cluster? Its group/kind must be permitted (namespaced when it has a namespace, as Argo CD decides for live
 * objects) and, for a namespaced one, its namespace must be a permitted destination on the app's cluster. The
 * controller attaches no other live object to an app, and the logs and resource reads answer 404 for them.
 */
import type { TAppProject } from './app-project-schema';
import { isDestinationPermitted, type Destination } from './destination-permitted';
import { isGroupKindPermitted } from './resource-permitted';

export interface LiveResourceRef {
  group: string;
  kind: string;
  /** Empty for a cluster-scoped object. */
  namespace: string;
  name: string;
}

export function isLiveResourcePermitted(
  project: TAppProject,
  cluster: Pick<Destination, 'name' | 'server'>,
  res: LiveResourceRef,
): boolean {
  const namespaced = res.namespace !== '';
  if (!isGroupKindPermitted(project.spec, res, namespaced).permitted) return false;
  if (!namespaced) return true;
  return isDestinationPermitted(project.spec.destinations, { ...cluster, namespace: res.namespace }).permitted;
}
