import { isDeepStrictEqual } from 'node:util';
import { MAX_NESTING_DEPTH, valueTooDeepAt } from '@/lib/domain/http/bounded-parse';
import { parseDocuments, type DocumentError } from '@/lib/domain/pipeline/parse-documents';
import { scriptInterpolationWarnings, type ScriptWarning } from '@/lib/domain/pipeline/script-interpolation';
import { secretValues, type TResource, type TTaskSpec } from '@/lib/domain/pipeline/spec-schemas';
import type { TPipelineRun, TTaskRun } from '@/lib/domain/pipeline/spec-schemas';
import { validatePipeline } from '@/lib/domain/pipeline/validate-pipeline';
import { AppError, type FieldIssue } from '@/lib/errors';
import type { Principal } from '../principal';
import type { SecretBox } from '../security/secret-box';
import { taskSpecOf, type DefinitionKind } from './stored-definitions';
import type { DefinitionStore, PipelineDeps, PipelineUnit } from './ports';
import { documentValues, mentionsResolver, resolveRemoteRefs, type RefFetcher } from './remote-refs';
import { auditBy } from '../audit/audit-via';

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

/** Pipelines must reference Tasks that exist, in this file or already stored; validate before storing anything. */
async function validatePipelines(store: DefinitionStore, resources: TResource[]): Promise<FieldIssue[]> {
  const inFile = new Map(
    resources.flatMap((r): [string, TTaskSpec][] => (r.kind === 'Task' ? [[r.metadata.name!, r.spec]] : [])),
  );
  const refs = resources.flatMap((r) =>
    r.kind === 'Pipeline'
      ? [...r.spec.tasks, ...(r.spec.finally ?? [])].flatMap((t) => (t.taskRef ? [t.taskRef.name] : []))
      : [],
  );
  const stored = await store.latest(
    'Task',
    [...new Set(refs)].filter((n) => !inFile.has(n)),
  );
  const resolveTask = (name: string) => inFile.get(name) ?? taskSpecOf(stored.get(name));
  return resources.flatMap((r, doc) =>
    r.kind === 'Pipeline'
      ? validatePipeline(r.spec, { resolveTask }).map((e) => ({
          path: `documents[${doc}].${e.path}`,
          message: `${e.message} (${e.reason}; ${e.hint})`,
        }))
      : [],
  );
}

/**
 * `keelson apply -f`: stores Tasks, Pipelines and StepActions as new versions (unchanged ones are
 * left alone), ConfigMaps/Secrets/PVCs as named inputs (Secret data sealed), then starts any runs.
 * Everything is validated first and written in one transaction: on any error nothing is stored.
 */
export async function applyDocuments(
  deps: PipelineDeps,
  principal: Principal,
  input: string | unknown,
  box: SecretBox,
  startRun?: RunStarter,
  fetchRef?: RefFetcher,
): Promise<{ applied: AppliedLine[]; runs: StartedRun[]; warnings: ScriptWarning[] }> {
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
  const parsed = parseDocuments(input);
  if (!parsed.ok) reject(documentIssues(parsed.errors));
  const resources = parsed.resources;
  const pipelineIssues = await validatePipelines(deps.stores.definitions, resources);
  if (pipelineIssues.length > 0) reject(pipelineIssues);
  if (!startRun && resources.some((r) => r.kind === 'PipelineRun' || r.kind === 'TaskRun')) {
    throw new AppError('BAD_REQUEST', 'This server cannot start runs from apply yet.', {
      hint: 'Apply the definitions, then start runs separately.',
    });
  }

  const result = await deps.stores.transaction(async (tx) => {
    const applied: AppliedLine[] = [];
    const runs: StartedRun[] = [];
    for (const [doc, r] of resources.entries()) {
      if (isDefinition(r)) {
        const latest = (await tx.definitions.latest(r.kind, [r.metadata.name!])).get(r.metadata.name!);
        // jsonb does not keep key order, so compare structurally.
        const same = latest && isDeepStrictEqual(latest.document, JSON.parse(JSON.stringify(r)));
        if (!same)
          await tx.definitions.insert({
            kind: r.kind,
            name: r.metadata.name!,
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
              ? { data: r.data ?? {} }
              : { spec: r.spec ?? {} };
        const action = await tx.companions.upsert(
          { kind: r.kind, name: r.metadata.name!, data, createdBy: principal.username },
          deps.now(),
        );
        applied.push({ kind: r.kind, name: r.metadata.name!, action });
      } else {
        const run = await startRun!(tx, r, doc);
        runs.push(run);
        applied.push({ kind: r.kind, name: run.name, action: 'created' });
      }
    }
    // The audit row commits with what it records.
    await tx.audit.record({
      ...auditBy(principal),
      action: 'apply',
      result: 'success',
      details: { applied: applied.map((a) => `${a.kind.toLowerCase()}/${a.name} ${a.action}`) },
    });
    return { applied, runs };
  });
  // Warnings do not stop the apply; the API returns them and `keelson apply` prints them.
  return { ...result, warnings: scriptInterpolationWarnings(resources) };
}
