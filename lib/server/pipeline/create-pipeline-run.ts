import { PIPELINE_RUN_INITIAL } from '@/lib/domain/pipeline/pipeline-run-states';
import type { TPipelineRun, TTaskSpec } from '@/lib/domain/pipeline/spec-schemas';
import type { TFrozenRunSpec, TPipelineRunStatus } from '@/lib/domain/pipeline/stored-schemas';
import { succeededCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { validatePipeline } from '@/lib/domain/pipeline/validate-pipeline';
import { AppError } from '@/lib/errors';
import { pipelineSpecOf, taskSpecOf } from './stored-definitions';
import { generatedName } from './generated-name';
import type { PipelineRecords } from './ports';

/**
 * Creates a PipelineRun: resolves pipelineRef and taskRefs to their newest versions, freezes them into
 * the run, validates params and workspaces, and stores the run as Started. The caller dispatches it.
 */
export async function createPipelineRun(
  stores: Pick<PipelineRecords, 'definitions' | 'runs'>,
  doc: TPipelineRun,
  createdBy: string,
  now: Date,
  docPath = 'spec',
): Promise<{ id: string; name: string }> {
  const spec = doc.spec;
  let pipelineSpec = spec.pipelineSpec;
  let pipelineName: string | null = null;
  let pipelineVersion: number | null = null;
  if (spec.pipelineRef) {
    const found = (await stores.definitions.latest('Pipeline', [spec.pipelineRef.name])).get(spec.pipelineRef.name);
    if (!found) {
      throw new AppError('BAD_REQUEST', `${docPath}.pipelineRef.name: no Pipeline named "${spec.pipelineRef.name}".`, {
        issues: [{ path: `${docPath}.pipelineRef.name`, message: `no Pipeline named "${spec.pipelineRef.name}"` }],
        hint: 'Apply the Pipeline first, or put it in the same file before the PipelineRun.',
      });
    }
    pipelineSpec = pipelineSpecOf(found);
    pipelineName = found.name;
    pipelineVersion = found.version;
  }
  if (!pipelineSpec)
    throw new AppError('BAD_REQUEST', `${docPath}: give pipelineRef or pipelineSpec.`, {
      hint: 'Name a stored Pipeline with pipelineRef.name, or inline one as pipelineSpec.',
    });

  const all = [...pipelineSpec.tasks, ...(pipelineSpec.finally ?? [])];
  const refs = [...new Set(all.flatMap((t) => (t.taskRef ? [t.taskRef.name] : [])))];
  const stored = await stores.definitions.latest('Task', refs);
  const resolveTask = (name: string) => taskSpecOf(stored.get(name));
  const errors = validatePipeline(pipelineSpec, {
    resolveTask,
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
    const s = t.taskSpec ?? (t.taskRef ? resolveTask(t.taskRef.name) : undefined);
    if (s) taskSpecs[t.name] = s;
  }

  const name = doc.metadata.name ?? generatedName(doc.metadata.generateName ?? `${pipelineName ?? 'run'}-run-`);
  if (await stores.runs.findByName(name))
    throw new AppError('CONFLICT', `A PipelineRun named "${name}" already exists.`, {
      hint: 'Use metadata.generateName to get a fresh name on every run.',
    });
  const frozen: TFrozenRunSpec = { run: spec, pipelineSpec, taskSpecs };
  const status: TPipelineRunStatus = {
    conditions: [succeededCondition(PIPELINE_RUN_INITIAL.status, PIPELINE_RUN_INITIAL.reason, '', now)],
    startTime: now.toISOString(),
    childReferences: [],
    skippedTasks: [],
  };
  return stores.runs.insert({
    name,
    pipelineName,
    pipelineVersion,
    spec: frozen,
    status,
    conditionStatus: PIPELINE_RUN_INITIAL.status,
    conditionReason: PIPELINE_RUN_INITIAL.reason,
    createdBy,
    createdAt: now,
    startedAt: now,
  });
}
