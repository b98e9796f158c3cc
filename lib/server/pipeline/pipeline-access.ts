import path from 'node:path';
import { DEFAULT_PROJECT } from '@/lib/domain/gitops/projects';
import type { Resource } from '@/lib/domain/access/vocabulary';
import { AppError } from '@/lib/errors';
import type { Access, AccessDeps } from '../access/ports';
import type { Principal } from '../principal';
import type { PipelineDeps } from './ports';

/** What the pipeline use cases a person (or a trigger) reaches need: their stores, the clock and authorization. */
export type AuthorizedPipelineDeps = PipelineDeps & AccessDeps;

/** The project of a Tekton document: its metadata.namespace, as Tekton users scope by namespace. */
export const projectOfDocument = (doc: { metadata?: { namespace?: string } }): string =>
  doc.metadata?.namespace || DEFAULT_PROJECT;

/** The RBAC object of a project-scoped pipeline resource. */
export const objectOf = (project: string, name: string) => `${project}/${name}`;

/**
 * Asks whether the caller may do `action` on `resource` `<project>/<name>`; throws 403 naming them when not.
 * A trigger's implicit service account passes its own gate (see receive-trigger-delivery.ts).
 */
export type Gate = (resource: Resource, action: string, object: string) => Promise<void>;

export const gateOf =
  (access: Access, principal: Principal): Gate =>
  (resource, action, object) =>
    access.authorize(principal, resource, action, object);

/** What a run runs: a stored Pipeline or Task (by name), or an inline spec (pipelineSpec, taskSpec, a git ref). */
export type RunOf = { stored: string } | 'inline';

/**
 * The object standing for every run of what a run runs: the names a stored Pipeline's or Task's runs get
 * (`<project>/<name>-run-*`), and `<project>/*` for an inline spec (it can run anything).
 */
export const runsOf = (project: string, of: RunOf) =>
  of === 'inline' ? objectOf(project, '*') : objectOf(project, `${of.stored}-run-*`);

/**
 * A run may be created under the name it will have (`pipelineruns, create, <project>/<run>`) and must also be
 * allowed as a run of what it runs (runsOf: `<project>/<pipeline>-run-*`, what the Start button asks), so a role
 * granting `team-a/build-run-*` cannot start another Pipeline, or an inline spec, by choosing a run name
 * (generateName, metadata.name) that matches its pattern.
 */
export async function authorizeRunOf(gate: Gate, project: string, runName: string, of: RunOf): Promise<void> {
  await gate('pipelineruns', 'create', objectOf(project, runName));
  await gate('pipelineruns', 'create', runsOf(project, of));
}

/** The project a document names must exist: 400 at `path` saying how to create it otherwise. */
export async function requireProject(access: Access, project: string, path: string): Promise<void> {
  if (await access.project(project)) return;
  throw new AppError('BAD_REQUEST', `${path}: no project named "${project}".`, {
    issues: [{ path, message: `no project named "${project}"` }],
    hint: `Create it first (\`keelson proj create ${project}\`, or apply an AppProject named "${project}"), or omit metadata.namespace for the default project.`,
  });
}

/**
 * Two projects may not share a name of one kind: 409, naming the project that owns it only when `visible` (the
 * caller may get that object); otherwise "another project", so a conflict does not tell what another team has.
 */
export function ownedElsewhere(kind: string, name: string, owner: string, project: string, visible = true): AppError {
  return new AppError(
    'CONFLICT',
    `A ${kind} named "${name}" already exists in ${visible ? `project "${owner}"` : 'another project'}; names are unique across projects.`,
    { hint: `Pick another name for the ${kind} of project "${project}".` },
  );
}

/**
 * A lookup by name found nothing: 404 only for a caller who could have seen one of that name in any project
 * (`<resource>, get, *\/<name>`), else 403 (throws), so a missing object and another project's read the same to
 * a caller who may see neither (as missingApp does for applications).
 */
export async function notFoundFor(
  access: Access,
  principal: Principal,
  resource: Resource,
  name: string,
  message: string,
  hint: string,
): Promise<AppError> {
  await access.authorize(principal, resource, 'get', objectOf('*', name));
  return new AppError('NOT_FOUND', message, { hint });
}

/** The lookups a caller may not `get` are refused (403) rather than answered NOT_FOUND. */
export async function authorizeGet(
  deps: AccessDeps,
  principal: Principal,
  resource: Resource,
  row: { project: string; name: string },
): Promise<void> {
  await deps.access.authorize(principal, resource, 'get', objectOf(row.project, row.name));
}

/**
 * Where a project's PersistentVolumeClaim folders live: `<volumes>` for the default project (as before
 * projects), `<volumes>/@<project>` for the others ('@' is no claim name's), so two projects' claims of one
 * name never share a folder.
 */
export const projectVolumesDir = (volumesDir: string, project: string) =>
  project === DEFAULT_PROJECT ? volumesDir : path.join(volumesDir, `@${project}`);
