export { createKubernetesExecutor, type KubernetesExecutor } from './kubernetes-executor';
export type { ImageCommandSource, KubernetesExecutorOptions } from './options';
export { childName, runSecretName, taskRunPodName } from './names';
