import type { TResource } from '@/lib/domain/pipeline/spec-schemas';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { generatedName } from './generated-name';
import { mentionsResolver } from './remote-refs';
import { authorizeConcurrencyOverride } from './authorize-concurrency-override';
import {
  authorizeRunOf,
  type RunOf,
  gateOf,
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
async function existingOwner(
  deps: AuthorizedPipelineDeps,
  r: { kind: Doc['kind'] },
  name: string,
): Promise<string | undefined> {
  if (isDefinitionKind(r.kind)) return (await deps.stores.definitions.latest(r.kind, [name])).get(name)?.project;
  if (r.kind === 'PipelineRun') return (await deps.stores.runs.findByName(name))?.project;
  if (r.kind === 'TaskRun') return (await deps.stores.taskRuns.findByName(name))?.project;
  return (await deps.stores.companions.find(r.kind satisfies CompanionKind, name))?.project;
}

/**
 * A Trigger starts runs on every delivery, as its implicit service account (any run of its project) or the role
 * its spec.serviceAccountName names, so creating or changing one needs the power it hands out: the author must
 * be allowed `pipelineruns, create, <project>/*` (start any run there) or `projects, update, <project>` (edit
 * the project's roles anyway). A named service account must be a role of the project.
 */
async function checkTrigger(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  r: Doc,
  project: string,
  at: string,
): Promise<void> {
  if (r.kind !== 'Trigger') return;
  const runsAnywhere = await deps.access.can(principal, 'pipelineruns', 'create', objectOf(project, '*'));
  if (!runsAnywhere)
    await naming(at, `Trigger ${project}/${r.metadata.name ?? ''}, whose deliveries start runs`, () =>
      deps.access.authorize(principal, 'projects', 'update', project),
    );
  if (!r.spec.serviceAccountName) return;
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

/** What authorizing a document reads of it (a parsed document, or the head of one not parsed yet). */
interface DocumentHead {
  kind: Doc['kind'];
  metadata: { name?: string; generateName?: string; namespace?: string };
  /** What a run runs: its stored Pipeline or Task (a ref by name, or the name a cluster resolver asks for), or inline. */
  runOf?: RunOf;
}

/** Checks one document (its project, its name's owner and the caller's right); returns the name it gets. */
async function authorizeDocument(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  r: DocumentHead,
  at: string,
): Promise<string> {
  const project = projectOfDocument(r);
  await requireProject(deps.access, project, `${at}.metadata.namespace`);
  const meta = r.metadata;
  const name = meta.name ?? generatedName(meta.generateName ?? `${r.kind.toLowerCase()}-`);
  const owner = await existingOwner(deps, r, name);
  if (owner !== undefined && owner !== project) {
    const [seen] = checkFor(r.kind, true);
    // Secret values are never got: a Secret's owner is never named.
    const visible = seen !== 'secrets' && (await deps.access.can(principal, seen, 'get', objectOf(owner, name)));
    throw ownedElsewhere(r.kind, name, owner, project, visible);
  }
  const [resource, action] = checkFor(r.kind, owner !== undefined);
  await naming(at, `${r.kind} ${project}/${name}`, async () => {
    const gate = gateOf(deps.access, principal);
    if (resource === 'pipelineruns') await authorizeRunOf(gate, project, name, r.runOf ?? 'inline');
    else await gate(resource, action, objectOf(project, name));
  });
  return name;
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
    const ref = r.kind === 'PipelineRun' ? r.spec.pipelineRef : r.kind === 'TaskRun' ? r.spec.taskRef : undefined;
    const runOf: RunOf = ref ? { stored: ref.name } : 'inline';
    const name = await authorizeDocument(deps, principal, { kind: r.kind, metadata: r.metadata, runOf }, at);
    await checkTrigger(deps, principal, r, projectOfDocument(r), at);
    await naming(
      at,
      `PipelineRun ${projectOfDocument(r)}/${name}, which sets keelson.dev/concurrency annotations`,
      () => authorizeConcurrencyOverride(deps, principal, r, projectOfDocument(r)),
    );
    out.push({ ...r, metadata: { ...r.metadata, name } } as Doc);
  }
  return out;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const RESOLVING_KINDS: readonly string[] = ['Pipeline', 'PipelineRun', 'TaskRun'];

/**
 * What a run not resolved yet runs: a ref by name, or the `name` param of a cluster resolver ref (it resolves to
 * the stored definition of that name); anything else (git, an inline spec) is inline.
 */
function runOfRaw(value: Json): RunOf | undefined {
  if (value.kind === 'Pipeline' || !isRecord(value.spec)) return undefined;
  const ref = value.kind === 'PipelineRun' ? value.spec.pipelineRef : value.spec.taskRef;
  if (!isRecord(ref)) return 'inline';
  const params = Array.isArray(ref.params) ? ref.params : [];
  const name = ref.resolver === 'cluster' ? params.find((p) => isRecord(p) && p.name === 'name')?.value : ref.name;
  const byName = ref.resolver === undefined || ref.resolver === 'cluster';
  return byName && typeof name === 'string' ? { stored: name } : 'inline';
}

/**
 * Before any remote ref is resolved (git, cluster): the caller must be allowed to create or update each document
 * holding one, so a caller who may not apply it cannot make the server fetch anything (its head is read leniently:
 * a malformed field counts as absent here and is refused by the parser afterwards).
 */
export async function authorizeBeforeResolving(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  values: readonly unknown[],
): Promise<void> {
  for (const [i, value] of values.entries()) {
    if (!isRecord(value) || !RESOLVING_KINDS.includes(String(value.kind)) || !mentionsResolver(value)) continue;
    const kind = value.kind as 'Pipeline' | 'PipelineRun' | 'TaskRun';
    const meta = isRecord(value.metadata) ? value.metadata : {};
    const metadata = { name: text(meta.name), generateName: text(meta.generateName), namespace: text(meta.namespace) };
    await authorizeDocument(deps, principal, { kind, metadata, runOf: runOfRaw(value) }, `documents[${i}]`);
  }
}
