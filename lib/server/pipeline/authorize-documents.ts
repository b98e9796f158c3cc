import type { TResource } from '@/lib/domain/pipeline/spec-schemas';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { generatedName } from './generated-name';
import {
  objectOf,
  ownedElsewhere,
  projectOfDocument,
  requireProject,
  type AuthorizedPipelineDeps,
} from './pipeline-access';
import type { CompanionKind } from './ports';

type Doc = TResource;
type Check = ['pipelines' | 'pipelineruns' | 'triggers' | 'secrets', 'create' | 'update'];

const isDefinitionKind = (k: string): k is 'Task' | 'Pipeline' | 'StepAction' =>
  k === 'Task' || k === 'Pipeline' || k === 'StepAction';

/** What applying a document asks of the policy: the resource, and create or update as the name exists or not. */
function checkFor(kind: Doc['kind'], exists: boolean): Check {
  const verb = exists ? 'update' : 'create';
  if (isDefinitionKind(kind)) return ['pipelines', verb];
  if (kind === 'Secret') return ['secrets', verb];
  if (kind === 'Trigger') return ['triggers', verb];
  if (kind === 'PipelineRun' || kind === 'TaskRun') return ['pipelineruns', 'create'];
  // ConfigMaps and PVCs are a pipeline's inputs: changing them is changing what its runs do.
  return ['pipelines', 'update'];
}

/** The project that already holds this kind and name, if any (names are unique across projects). */
async function existingOwner(deps: AuthorizedPipelineDeps, r: Doc, name: string): Promise<string | undefined> {
  if (isDefinitionKind(r.kind)) return (await deps.stores.definitions.latest(r.kind, [name])).get(name)?.project;
  if (r.kind === 'PipelineRun') return (await deps.stores.runs.findByName(name))?.project;
  if (r.kind === 'TaskRun') return (await deps.stores.taskRuns.findByName(name))?.project;
  return (await deps.stores.companions.find(r.kind satisfies CompanionKind, name))?.project;
}

/** A Trigger's spec.serviceAccountName must name a role of its project: the deliveries act as it. */
async function checkServiceAccount(deps: AuthorizedPipelineDeps, r: Doc, project: string, at: string): Promise<void> {
  if (r.kind !== 'Trigger' || !r.spec.serviceAccountName) return;
  const role = r.spec.serviceAccountName;
  const roles = (await deps.access.project(project))?.spec.roles ?? [];
  if (roles.some((x) => x.name === role)) return;
  throw new AppError('BAD_REQUEST', `${at}.spec.serviceAccountName: project "${project}" has no role "${role}".`, {
    issues: [{ path: `${at}.spec.serviceAccountName`, message: `project "${project}" has no role "${role}"` }],
    hint: `Add a role named "${role}" to the AppProject "${project}" (spec.roles) with the policies its deliveries need, e.g. "p, proj:${project}:${role}, pipelineruns, create, ${project}/*, allow".`,
  });
}

/** A refusal names the document it refused. */
async function naming<T>(at: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.code === 'FORBIDDEN')
      throw new AppError('FORBIDDEN', `${at} (${what}): ${err.message}; nothing was applied.`, err.details);
    throw err;
  }
}

/**
 * Before anything of an apply is written: each document's project (metadata.namespace) exists, its name is
 * not another project's, and the caller may create or update it. Runs get their generated name here so the
 * check names the run that would be created. Returns the documents as they will be applied.
 */
export async function authorizeDocuments(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  resources: readonly Doc[],
): Promise<Doc[]> {
  const out: Doc[] = [];
  for (const [i, r] of resources.entries()) {
    const at = `documents[${i}]`;
    const project = projectOfDocument(r);
    await requireProject(deps.access, project, `${at}.metadata.namespace`);
    const meta: { name?: string; generateName?: string } = r.metadata;
    const name = meta.name ?? generatedName(meta.generateName ?? `${r.kind.toLowerCase()}-`);
    const owner = await existingOwner(deps, r, name);
    if (owner !== undefined && owner !== project) throw ownedElsewhere(r.kind, name, owner, project);
    const [resource, action] = checkFor(r.kind, owner !== undefined);
    await naming(at, `${r.kind} ${project}/${name}`, () =>
      deps.access.authorize(principal, resource, action, objectOf(project, name)),
    );
    await checkServiceAccount(deps, r, project, at);
    out.push({ ...r, metadata: { ...r.metadata, name } } as Doc);
  }
  return out;
}
