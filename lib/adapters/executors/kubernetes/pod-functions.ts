/**
 * The pure pod language the executor drives (lib/domain/pipeline/kubernetes: the pod builder and the status
 * readers), as the executor needs it. Kept as an interface so the lifecycle does not care how the pod is made.
 */
import type { PodPolicy } from '../../../domain/pipeline/kubernetes/pod-policy';
import type { StepOutcome, TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import type { ImageCommandMap } from './image-commands';
import type { PodObject } from './pod-types';

/** PodPolicy: what the administrator lets the pod have. */
export interface BuildPodInput extends PodPolicy {
  plan: TaskRunPlan;
  podName: string;
  namespace: string;
  images: { entrypoint: string; shell: string };
  imageCommands: ImageCommandMap;
  runSecretName: string;
  scriptsVia?: 'place-scripts' | 'secret';
  /** Secret values by Secret and key (the target's), for env the pod takes from Keelson Secrets. */
  secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Pin the pod to this node (its workspace claim lives there). */
  nodeName?: string;
}

export interface BuiltPod {
  pod: PodObject & { metadata: { name: string; namespace: string } };
  secret: { name: string; stringData: Record<string, string>; data?: Record<string, string> };
  problems: string[];
}

export interface StepReading {
  steps: StepOutcome[];
  results: Record<string, string>;
  finished: boolean;
  failure?: { reason: string; message: string };
  running?: { name: string; startedAt: Date | null };
}

export interface PodFunctions {
  build(input: BuildPodInput): BuiltPod;
  /**
   * Outcomes of the steps whose containers ended (all of them once finished), results, and how the TaskRun ended;
   * `stopped`: the executor stopped the pod, the running step is Cancelled or TimedOut.
   */
  read(plan: TaskRunPlan, pod: PodObject, options?: { stopped?: 'cancel' | 'timeout' }): StepReading;
  /** Why the pod cannot start; `permanent` when waiting cannot help. */
  startProblem(
    pod: PodObject,
    events?: readonly { type?: string; reason?: string; message?: string }[],
  ): { reason: string; message: string; permanent: boolean } | undefined;
  /** The container of step `index`. */
  stepContainer(name: string, index: number): string;
  sidecarContainer(name: string): string;
}
