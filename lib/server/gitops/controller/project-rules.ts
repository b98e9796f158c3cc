/**
 * The project's say at sync time (Argo CD checks on every compare and before an operation applies): the project
 * may have changed since the app was created, so the spec is checked again, and every rendered resource's
 * group/kind (cluster- or namespace-scoped, from the cluster's discovery) and namespace. Projects are read from
 * their store each time, so a tightened (or loosened) project takes effect on the next compare.
 */
import { discoveryFor, type KubeConnection } from '@/lib/adapters/k8s';
import type { KubeObject } from '@/lib/domain/gitops';
import {
  checkResources,
  DEFAULT_PROJECT,
  defaultProject,
  describeRefusals,
  type ProjectResource,
  type TAppProject,
} from '@/lib/domain/gitops/projects';
import { destinationOf, specRefusals, syncWindowState } from '../app-project';
import type { TSyncWindowState } from '@/lib/schemas/applications';
import type { ControlledApp } from '../ports';
import type { ControllerRuntime } from './runtime';

/** The app's project as stored now (the `default` project always exists). */
export async function currentProject(rt: ControllerRuntime, name: string): Promise<TAppProject | undefined> {
  const stored = await rt.deps.accessStores.projects.get(name);
  return stored?.project ?? (name === DEFAULT_PROJECT ? defaultProject() : undefined);
}

type ScopeLookup = (apiVersion: string, kind: string) => Promise<{ namespaced: boolean } | undefined>;

/**
 * The rendered objects as the project sees them. A kind the cluster does not serve falls back on whether the
 * object names a namespace (as Argo CD does); a discovery that fails is not guessed around: its error is
 * returned, so the caller holds the sync until a compare can check every kind.
 */
export async function projectResourcesOf(
  lookup: ScopeLookup,
  destNamespace: string,
  desired: readonly KubeObject[],
): Promise<{ resources: ProjectResource[]; errors: string[] }> {
  const errors: string[] = [];
  const resources = await Promise.all(
    desired.map(async (o): Promise<ProjectResource> => {
      const info = await lookup(o.apiVersion, o.kind).catch((err: unknown) => {
        errors.push(`${o.apiVersion} ${o.kind}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      });
      const namespaced = info ? info.namespaced : Boolean(o.metadata.namespace);
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
      const namespace = namespaced ? (o.metadata.namespace ?? destNamespace) : '';
      return { group, kind: o.kind, name: o.metadata.name ?? '', namespace, namespaced };
    }),
  );
  return { resources, errors };
}

/**
 * Why the project refuses the app now (InvalidSpecError's message, naming each rule), or undefined. Without
 * `rendered` only the spec is checked.
 */
export async function projectProblem(
  rt: ControllerRuntime,
  app: ControlledApp,
  rendered?: { conn: KubeConnection; desired: readonly KubeObject[] },
): Promise<string | undefined> {
  const project = await currentProject(rt, app.project);
  if (!project) return `Application referencing project ${app.project} which does not exist`;
  const refusals = await specRefusals(rt.deps, project, app);
  if (rendered && refusals.length === 0) {
    const destination = await destinationOf(rt.deps, app.clusterName, app.destNamespace);
    const discovery = discoveryFor(rendered.conn);
    const { resources, errors } = await projectResourcesOf(
      (apiVersion, kind) => discovery.lookup(apiVersion, kind),
      app.destNamespace,
      rendered.desired,
    );
    if (errors.length > 0) return `cannot check the resource kinds against project ${app.project}: ${errors[0]}`;
    refusals.push(...checkResources(project, destination, resources));
  }
  return refusals.length > 0 ? describeRefusals(refusals) : undefined;
}

/** The app's sync window state now, from its project as stored. */
export async function windowNow(rt: ControllerRuntime, app: ControlledApp): Promise<TSyncWindowState> {
  const project = await currentProject(rt, app.project);
  const target = {
    name: app.name,
    clusterName: app.clusterName,
    namespace: app.destNamespace,
    server: app.spec.destination.server,
  };
  return syncWindowState(project, target, rt.deps.now());
}

/** Why a sync window holds an operation that has not started (automated: any block; manual: a full block). */
export async function windowHolds(
  rt: ControllerRuntime,
  app: ControlledApp,
  automated: boolean,
): Promise<string | undefined> {
  const window = await windowNow(rt, app);
  const held = window.state === 'blocked' || (automated && window.state === 'manual-only');
  return held ? `Sync operation blocked by sync window: ${window.reason}` : undefined;
}
