import { isDeepStrictEqual } from 'node:util';
import { MAX_NESTING_DEPTH, valueTooDeepAt } from '@/lib/domain/http/bounded-parse';
import { parseDocuments, type DocumentError } from '@/lib/domain/pipeline/parse-documents';
import { scriptInterpolationWarnings, type ScriptWarning } from '@/lib/domain/pipeline/script-interpolation';
import { localExecutorWarnings } from '@/lib/domain/pipeline/local-executor-warnings';
import { configMapData, secretValues, type TResource, type TTaskSpec } from '@/lib/domain/pipeline/spec-schemas';
import type { TPipelineRun, TTaskRun } from '@/lib/domain/pipeline/spec-schemas';
import { validatePipeline } from '@/lib/domain/pipeline/validate-pipeline';
import { AppError, type FieldIssue } from '@/lib/errors';
import type { Principal } from '../principal';
import type { SecretBox } from '../security/secret-box';
import { latestInProject, taskSpecOf, type DefinitionKind } from './stored-definitions';
import { checkPipelineNesting } from './check-pipeline-nesting';
import { authorizeBeforeResolving, authorizeDocuments } from './authorize-documents';
import { ownedElsewhere, projectOfDocument, type AuthorizedPipelineDeps } from './pipeline-access';
import type { DefinitionStore, PipelineUnit } from './ports';
import { documentValues, mentionsResolver, resolveRemoteRefs, type RefFetcher } from './remote-refs';
import { auditBy } from '../audit/audit-via';
import { concurrencyAnnotationIssues } from './concurrency-annotation-issues';
import { specDiff, type JsonPatchOp } from '@/lib/domain/audit/spec-diff';
import { companionPatch, documentPatch } from './applied-diff';
import { applyWithAccessDocuments, splitAccessDocuments } from '../access/apply-access-documents';
import { settleNewRuns } from './settle-new-runs';
import { executorOverrideIssues, referencedOverrideIssues } from './executor-override';

export interface AppliedLine {
  kind: string;
  name: string;
  action: 'created' | 'configured' | 'unchanged';
}

export interface StartedRun {
  kind: 'PipelineRun' | 'TaskRun';
  id: string;
  name: string;
}

/** What an apply answers: one line per document, the runs it started, warnings that did not stop it. */
type Applied = { applied: AppliedLine[]; runs: StartedRun[]; warnings: ScriptWarning[] };

/** Creates the runs a file asks for, inside the apply transaction (and queues them in it, see dispatch-run.ts). */
export type RunStarter = (tx: PipelineUnit, doc: TPipelineRun | TTaskRun, docIndex: number) => Promise<StartedRun>;

function documentIssues(errors: DocumentError[]): FieldIssue[] {
  return errors.map((e) => ({
    path: `documents[${e.doc}]${e.path ? `.${e.path}` : ''}`,
    message: `${e.message}${e.hint ? ` (${e.hint})` : ''}`,
  }));
}

function reject(issues: FieldIssue[]): never {
  throw new AppError(
    'BAD_REQUEST',
    `${issues.length} problem(s) in the applied documents; nothing was stored. First: ${issues[0].path}: ${issues[0].message}`,
    {
      issues,
      hint: 'Fix every listed field and apply the file again.',
    },
  );
}

const isDefinition = (r: TResource): r is Extract<TResource, { kind: DefinitionKind }> =>
  ['Task', 'Pipeline', 'StepAction'].includes(r.kind);

/**
 * Pipelines must reference Tasks of their own project that exist, in this file or already stored; validate
 * before storing anything.
 */
async function validatePipelines(store: DefinitionStore, resources: TResource[]): Promise<FieldIssue[]> {
  const key = (project: string, name: string) => `${project}/${name}`;
  const inFile = new Map(
    resources.flatMap((r): [string, TTaskSpec][] =>
      r.kind === 'Task' ? [[key(projectOfDocument(r), r.metadata.name!), r.spec]] : [],
    ),
  );
  const checks = await Promise.all(
    resources.map(async (r, doc) => {
      if (r.kind !== 'Pipeline') return [];
      const project = projectOfDocument(r);
      const refs = [...r.spec.tasks, ...(r.spec.finally ?? [])].flatMap((t) => (t.taskRef ? [t.taskRef.name] : []));
      const stored = await latestInProject(
        store,
        'Task',
        refs.filter((n) => !inFile.has(key(project, n))),
        project,
      );
      const resolveTask = (name: string) => inFile.get(key(project, name)) ?? taskSpecOf(stored.found.get(name));
      const taskElsewhere = (name: string) => stored.elsewhere.get(name);
      return validatePipeline(r.spec, { resolveTask, taskElsewhere, project }).map((e) => ({
        path: `documents[${doc}].${e.path}`,
        message: `${e.message} (${e.reason}; ${e.hint})`,
      }));
    }),
  );
  return checks.flat();
}

/**
 * `keelson apply -f`: stores Tasks, Pipelines and StepActions as new versions (unchanged ones are
 * left alone), ConfigMaps/Secrets/PVCs as named inputs (Secret data sealed), then starts any runs.
 * Everything is validated first and written in one transaction: on any error nothing is stored.
 */
export async function applyDocuments(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  input: string | unknown,
  box: SecretBox,
  startRun?: RunStarter,
  fetchRef?: RefFetcher,
): Promise<Applied> {
  // Decoded JSON nested deeper than any document needs would overflow the stack below (stringify, clone).
  const deep = typeof input === 'string' ? undefined : valueTooDeepAt(input);
  if (deep !== undefined)
    reject([
      {
        path: `(body)${deep.startsWith('[') ? '' : '.'}${deep}`,
        message: `nesting deeper than ${MAX_NESTING_DEPTH} levels of objects or arrays`,
      },
    ]);
  // Remote refs (resolver: git, cluster) become inline specs before anything else reads the documents.
  if (fetchRef && mentionsResolver(input)) {
    const values = documentValues(input);
    if (values) {
      // Nothing is fetched for a document the caller may not apply (authorize-documents.ts).
      await authorizeBeforeResolving(deps, principal, values);
      const resolved = await resolveRemoteRefs(values, fetchRef);
      if (resolved.issues.length > 0) {
        throw new AppError(
          'BAD_REQUEST',
          `${resolved.issues.length} remote reference(s) could not be resolved; nothing was stored. First: ${resolved.issues[0].path}: ${resolved.issues[0].message}`,
          {
            issues: resolved.issues,
            hint: 'Check url, revision and pathInRepo (private repositories need `keelson repo add`), or apply the Task and refer to it by name.',
          },
        );
      }
      input = resolved.values;
    }
  }
  // Argo CD's AppProject and argocd-rbac-cm go to the access use cases, the other documents on from here:
  // every document of the file is checked before the first is written.
  const split = splitAccessDocuments(documentValues(input));
  if (split)
    return applyWithAccessDocuments(deps, principal, split, (rest, access) =>
      prepareDocuments({ ...deps, access }, principal, rest, box, startRun),
    );
  return (await prepareDocuments(deps, principal, input, box, startRun)).write();
}

/** Parses, places, authorizes and validates every document, writing nothing; `write` stores them. */
async function prepareDocuments(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  input: unknown,
  box: SecretBox,
  startRun?: RunStarter,
): Promise<{ write(): Promise<Applied> }> {
  const parsed = parseDocuments(input);
  if (!parsed.ok) reject(documentIssues(parsed.errors));
  // Projects, name owners and the caller's permissions, document by document, before anything is written.
  const resources = await authorizeDocuments(deps, principal, parsed.resources);
  const policy = await deps.executorPolicy?.();
  const pipelineIssues = [
    ...executorOverrideIssues(resources, policy),
    ...(await referencedOverrideIssues(deps.stores.definitions, resources, policy)),
    ...concurrencyAnnotationIssues(resources),
    ...(await validatePipelines(deps.stores.definitions, resources)),
    ...(await checkPipelineNesting(deps.stores.definitions, resources)),
  ];
  if (pipelineIssues.length > 0) reject(pipelineIssues);
  if (!startRun && resources.some((r) => r.kind === 'PipelineRun' || r.kind === 'TaskRun')) {
    throw new AppError('BAD_REQUEST', 'This server cannot start runs from apply yet.', {
      hint: 'Apply the definitions, then start runs separately.',
    });
  }
  return { write: () => writeDocuments(deps, principal, resources, box, startRun) };
}

/** Stores checked documents in one transaction with the apply's audit row, and starts the runs they ask. */
async function writeDocuments(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  resources: TResource[],
  box: SecretBox,
  startRun?: RunStarter,
): Promise<Applied> {
  const result = await deps.stores.transaction(async (tx) => {
    const applied: AppliedLine[] = [];
    const runs: StartedRun[] = [];
    const later: { doc: number; r: TPipelineRun | TTaskRun; line: number }[] = [];
    // What the re-applied documents changed, for the audit row (Secret values masked).
    const diff: JsonPatchOp[] = [];
    for (const [doc, r] of resources.entries()) {
      if (isDefinition(r)) {
        const latest = (await tx.definitions.latest(r.kind, [r.metadata.name!])).get(r.metadata.name!);
        // Checked again in the transaction: another project may have taken the name since authorizeDocuments.
        if (latest && latest.project !== projectOfDocument(r))
          throw ownedElsewhere(r.kind, r.metadata.name!, latest.project, projectOfDocument(r), false);
        // jsonb does not keep key order, so compare structurally.
        const same = latest && isDeepStrictEqual(latest.document, JSON.parse(JSON.stringify(r)));
        if (latest && !same) diff.push(...documentPatch(r.kind, r.metadata.name!, specDiff(latest.document, r)));
        if (!same)
          await tx.definitions.insert({
            kind: r.kind,
            name: r.metadata.name!,
            project: projectOfDocument(r),
            version: (latest?.version ?? 0) + 1,
            document: r,
            createdBy: principal.username,
          });
        applied.push({
          kind: r.kind,
          name: r.metadata.name!,
          action: same ? 'unchanged' : latest ? 'configured' : 'created',
        });
      } else if (
        r.kind === 'ConfigMap' ||
        r.kind === 'Secret' ||
        r.kind === 'PersistentVolumeClaim' ||
        r.kind === 'Trigger'
      ) {
        const data =
          r.kind === 'Secret'
            ? { sealed: Object.fromEntries(Object.entries(secretValues(r)).map(([k, v]) => [k, box.seal(v)])) }
            : r.kind === 'ConfigMap'
              ? configMapData(r)
              : { spec: r.spec ?? {} };
        const values = r.kind === 'Secret' ? secretValues(r) : undefined;
        const previous = await tx.companions.find(r.kind, r.metadata.name!);
        if (previous)
          diff.push(...companionPatch(r.kind, r.metadata.name!, previous.data, { secretValues: values, data }, box));
        const action = await tx.companions.upsert(
          { kind: r.kind, name: r.metadata.name!, project: projectOfDocument(r), data, createdBy: principal.username },
          deps.now(),
        );
        // Another project took the name since authorizeDocuments checked: the whole apply rolls back (409).
        if (!action) throw ownedElsewhere(r.kind, r.metadata.name!, '', projectOfDocument(r), false);
        applied.push({ kind: r.kind, name: r.metadata.name!, action });
      } else {
        // Started after the file's other documents are stored, as a run on Kubernetes waits for a Secret, ConfigMap
        // or Task applied after it: its line keeps its place.
        later.push({ doc, r, line: applied.push({ kind: r.kind, name: '', action: 'created' }) - 1 });
      }
    }
    for (const { doc, r, line } of later) {
      const run = await startRun!(tx, r, doc);
      runs.push(run);
      applied[line] = { kind: r.kind, name: run.name, action: 'created' };
    }
    const pipelineRuns = runs.filter((r) => r.kind === 'PipelineRun').map((r) => r.id);
    if (pipelineRuns.length > 0) await settleNewRuns(tx, pipelineRuns, deps.now(), principal);
    // The audit row commits with what it records.
    await tx.audit.record({
      ...auditBy(principal),
      action: 'apply',
      result: 'success',
      details: {
        applied: applied.map((a) => `${a.kind.toLowerCase()}/${a.name} ${a.action}`),
        ...(diff.length > 0 ? { diff } : {}),
      },
    });
    return { applied, runs };
  });
  // Warnings do not stop the apply; the API returns them and `keelson apply` prints them.
  return { ...result, warnings: [...scriptInterpolationWarnings(resources), ...localExecutorWarnings(resources)] };
}
