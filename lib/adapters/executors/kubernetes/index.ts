export { deleteRunClaims } from './claims';
export { createKubernetesExecutor, type KubernetesExecutor } from './kubernetes-executor';
export { childName, runSecretName, taskRunPodName } from './names';
export type { ImageCommandSource, KubernetesExecutorOptions } from './options';
export { sweepOrphanPods, type SweepOptions, type SweptPod } from './sweep';
