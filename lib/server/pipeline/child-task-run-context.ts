import path from 'node:path';
import type { ChildContext } from '@/lib/domain/pipeline/plan-child-task-run';
import { pipelineTaskRunSettings } from '@/lib/domain/pipeline/pod-settings';
import { pipelineRunFolder } from '@/lib/domain/pipeline/run-folders';
import type { TFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import { companionNames, loadCompanions } from './companion-data';
import { projectVolumesDir } from './pipeline-access';
import type { PipelineUnit } from './ports';
import { prepareWorkspaces } from './prepare-workspaces';
import type { EngineDeps } from './reconcile-pipeline-run';
import { latestInProject, stepActionSpecOf } from './stored-definitions';

/**
 * What a PipelineRun's TaskRuns are planned with (plan-child-task-run.ts): the run's project's StepActions,
 * ConfigMaps and Secrets, and its workspaces' folders, prepared once per reconcile and only when a TaskRun is
 * created or retried.
 */
export async function childContext(
  ed: EngineDeps,
  tx: PipelineUnit,
  run: { id: string; name: string; project: string; pipelineName: string | null },
  frozen: TFrozenRunSpec,
): Promise<ChildContext> {
  const specs = Object.values(frozen.taskSpecs);
  const actionNames = [...new Set(specs.flatMap((s) => s.steps.flatMap((st) => (st.ref ? [st.ref.name] : []))))];
  // The run's project's StepActions, ConfigMaps and Secrets only (names are unique across projects).
  const actions = (await latestInProject(tx.definitions, 'StepAction', actionNames, run.project)).found;
  const bindings = frozen.run.workspaces ?? [];
  const names = companionNames(specs, bindings, [...actions.values()].map(stepActionSpecOf));
  const companions = await loadCompanions(tx.companions, ed.box, names, run.project);
  const boundWorkspaces = await prepareWorkspaces(
    bindings,
    {
      runDir: path.join(ed.runsDir, pipelineRunFolder(run.name)),
      volumesDir: projectVolumesDir(ed.volumesDir, run.project),
      stepUser: ed.stepUser,
      ownerUid: run.id,
    },
    companions,
  );
  return {
    namespace: run.project,
    pipelineRunName: run.name,
    pipelineRunId: run.id,
    pipelineName: run.pipelineName ?? undefined,
    taskSpecs: frozen.taskSpecs,
    taskRunMetadata: Object.fromEntries(
      (frozen.run.taskRunSpecs ?? []).flatMap((s) => (s.metadata ? [[s.pipelineTaskName, s.metadata]] : [])),
    ),
    // A child PipelineRun shares its parent's folders (child-pipeline-runs.ts).
    boundWorkspaces: { ...boundWorkspaces, ...frozen.childOf?.workspaces },
    companions,
    stepActions: (name) => stepActionSpecOf(actions.get(name)),
    ownerMetadata: frozen.metadata,
    taskMetadata: frozen.taskMetadata,
    podSettings: (task) => pipelineTaskRunSettings(frozen.run, task),
  };
}
