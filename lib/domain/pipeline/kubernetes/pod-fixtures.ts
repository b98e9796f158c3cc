/** Plans and builder input for the pod builder's tests. */
import type { StepPlan, TaskRunPlan } from '../task-run-plan';
import { buildTaskRunPod, type BuildTaskRunPodInput } from './build-task-run-pod';

export const step = (name: string, extra: Partial<StepPlan> = {}): StepPlan => ({
  name,
  env: {},
  onError: 'stopAndFail',
  image: 'busybox',
  command: ['true'],
  ...extra,
});

export const plan = (extra: Partial<TaskRunPlan> = {}): TaskRunPlan => ({
  taskRunName: 'ci-build',
  steps: [step('one')],
  workspaces: [],
  resultNames: [],
  secretsToMask: [],
  ...extra,
});

export const build = (p: TaskRunPlan, extra: Partial<BuildTaskRunPodInput> = {}) =>
  buildTaskRunPod({
    plan: p,
    podName: `${p.taskRunName}-pod`,
    namespace: 'team-a',
    images: { entrypoint: 'entrypoint:test', shell: 'busybox:1.36' },
    imageCommands: {},
    runSecretName: `${p.taskRunName}-pod-run`,
    ...extra,
  });
