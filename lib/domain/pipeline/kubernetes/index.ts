/** The pure Kubernetes pod language of the pipeline engine: the TaskRun pod builder and the readers of its status. */
export { buildTaskRunPod, type BuildTaskRunPodInput, type BuiltTaskRunPod } from './build-task-run-pod';
export { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE, type PodImages } from './images';
export { sidecarContainerNameOf, stepContainerName, READY_ANNOTATION, READY_VALUE } from './pod-paths';
export { podLostProblem, podStartProblem, sidecarsReady, type PodProblem } from './pod-problems';
export type { PodEventLike, PodReading, V1PodLike } from './pod-types';
export { readStepOutcomes, type ReadOptions, type StepOutcomesReading } from './read-step-outcomes';
export type { RunSecret, SecretValues } from './run-secret';
export type { ImageCommands } from './step-command';
