import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { TTaskRun, TTaskSpec } from '@/lib/domain/pipeline/spec-schemas';
import { parseGoDuration } from '@/lib/domain/pipeline/duration';
import { pendingTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';
import { AppError } from '@/lib/errors';
import { companionNames, loadCompanions } from './companion-data';
import { stepActionSpecOf, taskSpecOf } from './stored-definitions';
import { planChildTaskRun } from '@/lib/domain/pipeline/plan-child-task-run';
import { prepareWorkspaces } from './prepare-workspaces';
import type { EngineDeps } from './reconcile-pipeline-run';
import { generatedName } from './generated-name';
import type { PipelineRecords } from './ports';

/** A standalone TaskRun (kind: TaskRun): resolved and validated up front, stored pending. */
export async function createTaskRun(
  ed: EngineDeps,
  tx: Pick<PipelineRecords, 'definitions' | 'companions' | 'taskRuns'>,
  doc: TTaskRun,
  docPath = 'spec',
): Promise<{ id: string; name: string }> {
  const spec = doc.spec;
  let taskSpec: TTaskSpec | undefined = spec.taskSpec;
  if (spec.taskRef) {
    taskSpec = taskSpecOf((await tx.definitions.latest('Task', [spec.taskRef.name])).get(spec.taskRef.name));
    if (!taskSpec) {
      throw new AppError('BAD_REQUEST', `${docPath}.taskRef.name: no Task named "${spec.taskRef.name}".`, {
        issues: [{ path: `${docPath}.taskRef.name`, message: `no Task named "${spec.taskRef.name}"` }],
        hint: 'Apply the Task first, or put it in the same file before the TaskRun.',
      });
    }
  }
  if (!taskSpec)
    throw new AppError('BAD_REQUEST', `${docPath}: give taskRef or taskSpec.`, {
      hint: 'Name a stored Task with taskRef.name, or inline one as taskSpec.',
    });
  const name = doc.metadata.name ?? generatedName(doc.metadata.generateName ?? `${spec.taskRef?.name ?? 'task'}-run-`);
  const clash = () =>
    new AppError('CONFLICT', `A TaskRun named "${name}" already exists.`, {
      hint: 'Use metadata.generateName to get a fresh name on every run.',
    });
  if (await tx.taskRuns.findByName(name)) throw clash();

  const bindings = spec.workspaces ?? [];
  // Env and envFrom sources too, not only workspaces: a standalone TaskRun may use secretKeyRef like a pipeline task.
  const companions = await loadCompanions(tx.companions, ed.box, companionNames([taskSpec], bindings));
  const boundWorkspaces = await prepareWorkspaces(
    bindings,
    { runDir: path.join(ed.runsDir, name), volumesDir: ed.volumesDir, stepUser: ed.stepUser },
    companions,
  );
  const actionNames = taskSpec.steps.flatMap((s) => (s.ref ? [s.ref.name] : []));
  const actions = await tx.definitions.latest('StepAction', actionNames);
  const id = randomUUID();
  const planned = planChildTaskRun(
    {
      task: name,
      finally: false,
      attempt: 0,
      taskRunName: name,
      params: Object.fromEntries((spec.params ?? []).map((p) => [p.name, p.value])),
      workspaces: bindings.map((b) => ({ name: b.name, workspace: b.name })),
      // Tekton's default TaskRun timeout is one hour; 0 means none.
      timeoutMs: parseGoDuration(spec.timeout ?? '1h') || undefined,
      taskRef: spec.taskRef?.name,
      taskSpec,
    },
    {
      pipelineRunName: '',
      pipelineRunId: '',
      taskSpecs: {},
      boundWorkspaces,
      companions,
      stepActions: (n) => stepActionSpecOf(actions.get(n)),
    },
    id,
  );
  if (!planned.ok) {
    throw new AppError('BAD_REQUEST', `${planned.errors[0].path}: ${planned.errors[0].message}`, {
      issues: planned.errors.map((e) => ({
        path: `${docPath}.${e.path}`,
        message: `${e.message} (${e.reason}; ${e.hint})`,
      })),
      hint: planned.errors[0].hint,
    });
  }
  const [inserted] = await tx.taskRuns.insert([
    {
      id,
      name,
      pipelineRunId: null,
      project: 'default',
      pipelineTask: null,
      matrixIndex: null,
      plan: planned.plan,
      state: 'pending',
      attempt: 0,
      status: pendingTaskRunStatus(ed.now()),
      leaseOwner: null,
      leaseExpiresAt: null,
      cancelRequested: null,
      createdAt: ed.now(),
      startedAt: null,
      completedAt: null,
    },
  ]);
  if (!inserted) throw clash();
  return { id: inserted, name };
}
