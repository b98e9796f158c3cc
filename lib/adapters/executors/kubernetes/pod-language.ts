/** The pure pod builder and readers of lib/domain/pipeline/kubernetes, as the executor's PodFunctions. */
import { buildTaskRunPod } from '../../../domain/pipeline/kubernetes/build-task-run-pod';
import { sidecarContainerNameOf, stepContainerName } from '../../../domain/pipeline/kubernetes/pod-paths';
import { podStartProblem } from '../../../domain/pipeline/kubernetes/pod-problems';
import type { PodReading } from '../../../domain/pipeline/kubernetes/pod-types';
import { readStepOutcomes } from '../../../domain/pipeline/kubernetes/read-step-outcomes';
import type { BuiltPod, PodFunctions } from './pod-functions';

export const tektonPodLanguage: PodFunctions = {
  build: (input) => buildTaskRunPod(input) as unknown as BuiltPod,
  read: (plan, pod, options) => readStepOutcomes(plan, pod as PodReading, options),
  startProblem: (pod, events) => podStartProblem(pod as PodReading, events),
  stepContainer: stepContainerName,
  sidecarContainer: sidecarContainerNameOf,
};
