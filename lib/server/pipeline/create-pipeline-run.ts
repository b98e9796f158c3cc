import { PIPELINE_RUN_INITIAL } from '@/lib/domain/pipeline/pipeline-run-states';
import { propagatedMetadata } from '@/lib/domain/pipeline/pod-labels';
import type { TPipelineRun, TTaskSpec } from '@/lib/domain/pipeline/spec-schemas';
import { embeddedTaskSpec } from '@/lib/domain/pipeline/task-schemas';
import type { TFrozenRunSpec, TPipelineRunStatus } from '@/lib/domain/pipeline/stored-schemas';
import { succeededCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { withTaskRefNamesResolved } from '@/lib/domain/pipeline/pipeline-param-defaults';
import { validatePipeline } from '@/lib/domain/pipeline/validate-pipeline';
import { AppError } from '@/lib/errors';
import { companionNames, refuseOtherProjects } from './companion-data';
import { projectOfDocument } from './pipeline-access';
import { latestInProject, pipelineSpecOf, taskSpecOf } from './stored-definitions';
import { generatedName } from './generated-name';
import type { PipelineRecords, PipelineUnit } from './ports';
import { concurrencyGroupOfRun } from './concurrency-group-of-run';
import { insertQueuedRun } from './insert-queued-run';
import { pipelineRunOwningName } from './squatted-children';
import { runExecutor } from './run-executor';

/**
 * Creates a PipelineRun in its project (metadata.namespace): resolves pipelineRef and taskRefs to their newest
 * versions in that project, freezes them into the run, validates params and workspaces (and that it binds
 * only its project's ConfigMaps, Secrets and PVCs), and stores the run as Started. The caller has authorized
 * it (authorize-documents.ts, start-pipeline.ts) and dispatches it.
 */
export async function createPipelineRun(
  stores: Pick<PipelineUnit, 'definitions' | 'runs' | 'companions' | 'jobs'>,
  doc: TPipelineRun,
  createdBy: string,
  now: Date,
  docPath = 'spec',
  /** The engine creates a child PipelineRun under its parent's child name (child-pipeline-runs.ts). */
  options: { child?: boolean } = {},
): Promise<{ id: string; name: string }> {
  const spec = doc.spec;
  const project = projectOfDocument(doc);
  let pipelineSpec = spec.pipelineSpec;
  let pipelineName: string | null = null;
  let pipelineVersion: number | null = null;
  let pipelineMetadata: TPipelineRun['metadata'] | undefined;
  if (spec.pipelineRef) {
    const ref = spec.pipelineRef.name;
    const pipelines = await latestInProject(stores.definitions, 'Pipeline', [ref], project);
    const found = pipelines.found.get(ref);
    if (!found) {
      const owner = pipelines.elsewhere.get(ref);
      // The owner is not named: the caller may not be allowed to see that project.
      const message = `no Pipeline named "${ref}"${owner ? ` in project "${project}" (it belongs to another project)` : ''}`;
      throw new AppError('BAD_REQUEST', `${docPath}.pipelineRef.name: ${message}.`, {
        issues: [{ path: `${docPath}.pipelineRef.name`, message }],
        hint: owner
          ? `A PipelineRun runs a Pipeline of its own project: set metadata.namespace to the Pipeline's project, or apply the Pipeline to project "${project}".`
          : 'Apply the Pipeline first, or put it in the same file before the PipelineRun.',
      });
    }
    pipelineSpec = pipelineSpecOf(found);
    pipelineName = found.name;
    pipelineVersion = found.version;
    pipelineMetadata = found.document.metadata;
  }
  if (!pipelineSpec)
    throw new AppError('BAD_REQUEST', `${docPath}: give pipelineRef or pipelineSpec.`, {
      hint: 'Name a stored Pipeline with pipelineRef.name, or inline one as pipelineSpec.',
    });
  pipelineSpec = withTaskRefNamesResolved(pipelineSpec, spec.params);

  const all = [...pipelineSpec.tasks, ...(pipelineSpec.finally ?? [])];
  const refs = [...new Set(all.flatMap((t) => (t.taskRef ? [t.taskRef.name] : [])))];
  const stored = await latestInProject(stores.definitions, 'Task', refs, project);
  const resolveTask = (name: string) => taskSpecOf(stored.found.get(name));
  const errors = validatePipeline(pipelineSpec, {
    resolveTask,
    taskElsewhere: (name) => stored.elsewhere.get(name),
    project,
    runParams: spec.params ?? [],
    runWorkspaces: spec.workspaces ?? [],
    specPath: spec.pipelineRef ? `pipeline(${spec.pipelineRef.name}).spec` : `${docPath}.pipelineSpec`,
    runPath: docPath,
  });
  if (errors.length > 0) {
    throw new AppError('BAD_REQUEST', `${errors[0].path}: ${errors[0].message} (${errors[0].reason})`, {
      issues: errors.map((e) => ({ path: e.path, message: `${e.message} (${e.reason}; ${e.hint})` })),
      hint: errors[0].hint,
    });
  }
  const taskSpecs: Record<string, TTaskSpec> = {};
  for (const t of all) {
    const s = t.taskSpec ? embeddedTaskSpec(t.taskSpec) : t.taskRef ? resolveTask(t.taskRef.name) : undefined;
    if (s) taskSpecs[t.name] = s;
  }

  const name = doc.metadata.name ?? generatedName(doc.metadata.generateName ?? `${pipelineName ?? 'run'}-run-`);
  if (await stores.runs.findByName(name))
    throw new AppError('CONFLICT', `A PipelineRun named "${name}" already exists.`, {
      hint: 'Use metadata.generateName to get a fresh name on every run.',
    });
  // `<pipelinerun>-<task>` is a run's child's name (its TaskRun or child PipelineRun): no other run may take it.
  const owner = options.child ? undefined : await pipelineRunOwningName(stores.runs, name);
  if (owner)
    throw new AppError(
      'CONFLICT',
      `A PipelineRun may not be named "${name}": it is a name PipelineRun "${owner}" gives its tasks' runs.`,
      {
        hint: 'Pick another name, or use metadata.generateName.',
      },
    );
  await refuseOtherProjects(
    stores.companions,
    project,
    companionNames(Object.values(taskSpecs), spec.workspaces ?? []),
    spec.workspaces ?? [],
    docPath,
  );
  const executor = runExecutor(doc, docPath, pipelineName, pipelineMetadata?.annotations);
  const frozen: TFrozenRunSpec = { run: spec, pipelineSpec, taskSpecs, ...(executor ? { executor } : {}) };
  // Labels and annotations its TaskRuns' pods carry (pod-labels.ts): the run's (the Pipeline's under them), the Tasks'.
  const metadata = propagatedMetadata(doc.metadata, pipelineMetadata);
  if (metadata) frozen.metadata = metadata;
  const taskMetadata = Object.fromEntries(
    [...stored.found].flatMap(([task, d]) => {
      const m = propagatedMetadata(undefined, d.document.metadata);
      return m ? [[task, m]] : [];
    }),
  );
  if (Object.keys(taskMetadata).length > 0) frozen.taskMetadata = taskMetadata;
  const columns = { name, project, pipelineName, pipelineVersion, frozen };
  const pipeline = { name: pipelineName, metadata: pipelineMetadata, spec: pipelineSpec };
  const concurrency = concurrencyGroupOfRun(doc, pipeline, { name, project }, docPath);
  if (concurrency) return insertQueuedRun(stores, columns, concurrency, createdBy, now);
  return insertStartedRun(stores, columns, createdBy, now);
}

/** Stores a run whose specs are resolved and frozen as Started (also a rerun from failed, with the earlier specs). */
export async function insertStartedRun(
  stores: Pick<PipelineRecords, 'runs'>,
  run: {
    name: string;
    project: string;
    pipelineName: string | null;
    pipelineVersion: number | null;
    frozen: TFrozenRunSpec;
  },
  createdBy: string,
  now: Date,
): Promise<{ id: string; name: string }> {
  const { frozen, ...columns } = run;
  const status: TPipelineRunStatus = {
    conditions: [succeededCondition(PIPELINE_RUN_INITIAL.status, PIPELINE_RUN_INITIAL.reason, '', now)],
    startTime: now.toISOString(),
    childReferences: [],
    skippedTasks: [],
  };
  return stores.runs.insert({
    ...columns,
    spec: frozen,
    status,
    conditionStatus: PIPELINE_RUN_INITIAL.status,
    conditionReason: PIPELINE_RUN_INITIAL.reason,
    createdBy,
    createdAt: now,
    startedAt: now,
  });
}
