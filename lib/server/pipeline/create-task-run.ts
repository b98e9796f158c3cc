import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { TTaskRun, TTaskRunMetadata, TTaskSpec } from '@/lib/domain/pipeline/spec-schemas';
import { propagatedMetadata } from '@/lib/domain/pipeline/pod-labels';
import { parseGoDuration } from '@/lib/domain/pipeline/duration';
import { pendingTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';
import { taskRunFolder } from '@/lib/domain/pipeline/run-folders';
import { AppError } from '@/lib/errors';
import { companionNames, loadCompanions, refuseOtherProjects } from './companion-data';
import { projectOfDocument, projectVolumesDir } from './pipeline-access';
import { latestInProject, stepActionSpecOf, taskSpecOf } from './stored-definitions';
import { planChildTaskRun } from '@/lib/domain/pipeline/plan-child-task-run';
import { prepareWorkspaces } from './prepare-workspaces';
import type { EngineDeps } from './reconcile-pipeline-run';
import { generatedName } from './generated-name';
import { pipelineRunOwningName } from './squatted-children';
import { taskRunExecutor } from './run-executor';
import { withRequestedExecutor } from '@/lib/domain/pipeline/executor-choice';
import type { PipelineRecords } from './ports';

/**
 * A standalone TaskRun (kind: TaskRun) in its project (metadata.namespace): resolved against that project's
 * Tasks, StepActions, ConfigMaps and Secrets and validated up front, stored pending. The caller authorized it.
 */
export async function createTaskRun(
  ed: EngineDeps,
  tx: Pick<PipelineRecords, 'definitions' | 'companions' | 'taskRuns' | 'runs'>,
  doc: TTaskRun,
  docPath = 'spec',
): Promise<{ id: string; name: string }> {
  const spec = doc.spec;
  const project = projectOfDocument(doc);
  let taskSpec: TTaskSpec | undefined = spec.taskSpec;
  let taskMetadata: TTaskRunMetadata | undefined;
  let taskAnnotations: Record<string, string> | undefined;
  if (spec.taskRef) {
    const tasks = await latestInProject(tx.definitions, 'Task', [spec.taskRef.name], project);
    taskSpec = taskSpecOf(tasks.found.get(spec.taskRef.name));
    taskMetadata = propagatedMetadata(undefined, tasks.found.get(spec.taskRef.name)?.document.metadata);
    taskAnnotations = tasks.found.get(spec.taskRef.name)?.document.metadata.annotations;
    if (!taskSpec) {
      const owner = tasks.elsewhere.get(spec.taskRef.name);
      // The owner is not named: the caller may not be allowed to see that project.
      const message = `no Task named "${spec.taskRef.name}"${owner ? ` in project "${project}" (it belongs to another project)` : ''}`;
      throw new AppError('BAD_REQUEST', `${docPath}.taskRef.name: ${message}.`, {
        issues: [{ path: `${docPath}.taskRef.name`, message }],
        hint: "Apply the Task first (in the TaskRun's project), or put it in the same file before the TaskRun.",
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
  // `<pipelinerun>-<task>` is a PipelineRun's child's name: a standalone TaskRun may not take one ahead of it.
  if (await pipelineRunOwningName(tx.runs, name))
    throw new AppError('CONFLICT', `A TaskRun may not be named "${name}": it is a PipelineRun's TaskRun's name.`, {
      hint: 'Pick another name, or use metadata.generateName.',
    });

  const bindings = spec.workspaces ?? [];
  const actionNames = taskSpec.steps.flatMap((s) => (s.ref ? [s.ref.name] : []));
  const actions = (await latestInProject(tx.definitions, 'StepAction', actionNames, project)).found;
  // Env and envFrom sources too, not only workspaces: a standalone TaskRun uses secretKeyRef like a pipeline task,
  // its StepActions' env included.
  const names = companionNames([taskSpec], bindings, [...actions.values()].map(stepActionSpecOf));
  await refuseOtherProjects(tx.companions, project, names, bindings, docPath);
  const companions = await loadCompanions(tx.companions, ed.box, names, project);
  const id = randomUUID();
  const boundWorkspaces = await prepareWorkspaces(
    bindings,
    {
      runDir: path.join(ed.runsDir, taskRunFolder(name)),
      volumesDir: projectVolumesDir(ed.volumesDir, project),
      stepUser: ed.stepUser,
      ownerUid: id,
    },
    companions,
  );
  const executor = taskRunExecutor(doc, docPath, spec.taskRef?.name, taskAnnotations);
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
      namespace: project,
      pipelineRunName: '',
      pipelineRunId: '',
      taskSpecs: {},
      boundWorkspaces,
      companions,
      stepActions: (n) => stepActionSpecOf(actions.get(n)),
      // Its own labels and annotations (its Task's under them, pod-labels.ts) and pod settings go to its pod.
      ownerMetadata: propagatedMetadata(doc.metadata, undefined),
      ...(spec.taskRef && taskMetadata ? { taskMetadata: { [spec.taskRef.name]: taskMetadata } } : {}),
      podSettings: () => ({
        serviceAccountName: spec.serviceAccountName || undefined,
        podTemplate: spec.podTemplate,
        computeResources: spec.computeResources,
        stepSpecs: spec.stepSpecs,
        sidecarSpecs: spec.sidecarSpecs,
      }),
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
      project,
      pipelineTask: null,
      matrixIndex: null,
      plan: withRequestedExecutor(planned.plan, executor),
      state: 'pending',
      attempt: 0,
      status: pendingTaskRunStatus(ed.now()),
      leaseOwner: null,
      leaseExpiresAt: null,
      cancelRequested: null,
      createdAt: ed.now(),
      startedAt: null,
      completedAt: null,
      executor: null,
      podNamespace: null,
      logsRemovedAt: null,
    },
  ]);
  if (!inserted) throw clash();
  return { id: inserted, name };
}
