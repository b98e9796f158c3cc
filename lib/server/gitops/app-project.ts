/**
 * What an application's project says about it, for the use cases (create/update/sync requests) and the
 * controller (every compare and before an operation applies): the project must exist, the source repo and the
 * destination must be permitted, and at sync every rendered kind; sync windows decide when syncing may happen.
 */
import {
  canSync,
  checkApplicationSpec,
  describeRefusals,
  type Destination,
  type ProjectRefusal,
  type TAppProject,
} from '@/lib/domain/gitops/projects';
import { AppError, type FieldIssue } from '@/lib/errors';
import type { TApplicationSpec, TSyncWindowState } from '@/lib/schemas/applications';
import type { GitopsDeps } from './ports';

/** The condition the controller sets when the project refuses the app (Argo CD's InvalidSpecError). */
export const INVALID_SPEC = 'InvalidSpecError';

export const PROJECT_HINT =
  'Create the project first (`keelson proj create -f project.yaml`, an argoproj.io/v1alpha1 AppProject), or use project "default".';

/** The project an app names, or a 400 on spec.project when it does not exist. */
export async function projectOrThrow(deps: Pick<GitopsDeps, 'access'>, name: string): Promise<TAppProject> {
  const project = await deps.access.project(name);
  if (project) return project;
  throw new AppError('BAD_REQUEST', `spec.project: project "${name}" does not exist.`, {
    issues: [{ path: 'spec.project', message: `no project named "${name}"` }],
    hint: PROJECT_HINT,
  });
}

/** The destination as the project checks it: the registered cluster's name and server, and the namespace. */
export async function destinationOf(
  deps: Pick<GitopsDeps, 'gitops'>,
  clusterName: string,
  namespace: string,
): Promise<Destination> {
  const cluster = await deps.gitops.clusters.find(clusterName);
  return { name: clusterName, server: cluster?.server, namespace };
}

/** The refusals of an app's spec by its project (source repo, destination). */
export async function specRefusals(
  deps: Pick<GitopsDeps, 'gitops'>,
  project: TAppProject,
  app: { spec: TApplicationSpec; clusterName: string },
): Promise<ProjectRefusal[]> {
  const destination = await destinationOf(deps, app.clusterName, app.spec.destination.namespace ?? '');
  return checkApplicationSpec(project, { sources: [app.spec.source], destination });
}

/** The YAML field a refusal is about. */
function refusalPath(r: ProjectRefusal): string {
  if (r.rule.startsWith('sourceRepos')) return 'spec.source.repoURL';
  if (r.rule.startsWith('destinations')) return 'spec.destination';
  return 'spec';
}

/** A 400 listing each refusal with its field and the rule that refused it. */
export function refusalError(project: string, refusals: readonly ProjectRefusal[]): AppError {
  const issues: FieldIssue[] = refusals.map((r) => ({
    path: refusalPath(r),
    message: `${r.message} (refused by ${r.rule})`,
  }));
  return new AppError('BAD_REQUEST', `Not permitted by project "${project}": ${describeRefusals(refusals)}.`, {
    issues,
    hint: `Change the application, or ask an administrator to allow it in project "${project}" (\`keelson proj get ${project}\`).`,
  });
}

/** The sync window state of an app now: whether automated and manual syncs may run, and the windows deciding. */
export function syncWindowState(
  project: TAppProject | undefined,
  app: { name: string; clusterName: string; namespace: string; server?: string },
  at: Date,
): TSyncWindowState {
  const windows = project?.spec.syncWindows;
  const target = {
    name: app.name,
    destination: { name: app.clusterName, server: app.server, namespace: app.namespace },
  };
  const auto = canSync(windows, target, at, { manual: false });
  const manual = canSync(windows, target, at, { manual: true });
  const state = auto.permitted ? 'allowed' : manual.permitted ? 'manual-only' : 'blocked';
  const decisive = auto.permitted ? auto.windows : manual.permitted ? auto.windows : manual.windows;
  return {
    state,
    reason: auto.permitted ? auto.reason : manual.permitted ? `${auto.reason}; ${manual.reason}` : manual.reason,
    windows: decisive.map((w) => ({
      kind: w.kind,
      schedule: w.schedule,
      duration: w.duration,
      timeZone: w.timeZone,
      manualSync: w.manualSync ?? false,
    })),
  };
}
