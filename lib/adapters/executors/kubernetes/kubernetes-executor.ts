import type {
  ExecutionHooks,
  TaskRunExecutor,
  TaskRunOutcome,
  TaskRunPlan,
  TaskRunTarget,
} from '../../../domain/pipeline/task-run-plan';
import { RunNamespaces } from './namespace';
import { DEFAULT_START_TIMEOUT_MS, type KubernetesExecutorOptions } from './options';
import { tektonPodLanguage } from './pod-language';
import { runTaskRunPod, type RunDeps } from './run-task-run';

export interface KubernetesExecutor extends TaskRunExecutor {
  readonly kind: 'kubernetes';
}

/**
 * Runs each TaskRun as one pod on the pipeline cluster, one container per step running the step's image, ordered by
 * Tekton's entrypoint binary; the engine gets the same TaskRunOutcome as from the local executor. `run`'s 4th
 * argument says where (namespace, project, PipelineRun, attempt); `workDir` is not used (nothing runs on the worker).
 */
export function createKubernetesExecutor(options: KubernetesExecutorOptions): KubernetesExecutor {
  const deps: RunDeps = {
    options,
    pods: tektonPodLanguage,
    namespaces: new RunNamespaces(options.isolation),
    startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    keepFinishedPodsMs: options.keepFinishedPodsMs ?? 0,
    flushIntervalMs: Math.min(Math.max(options.flushIntervalMs ?? 100, 1), 250),
    reportError:
      options.onHookError ?? ((error: unknown) => console.error('[keelson kubernetes executor] hook failed:', error)),
  };
  return {
    kind: 'kubernetes',
    run(plan: TaskRunPlan, _workDir: string, hooks: ExecutionHooks, target?: TaskRunTarget): Promise<TaskRunOutcome> {
      return runTaskRunPod(deps, plan, hooks, target);
    },
  };
}
