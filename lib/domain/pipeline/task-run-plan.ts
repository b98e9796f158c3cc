/**
 * The contract between the pipeline engine and an executor (local processes today, Kubernetes pods
 * later). The engine resolves a TaskRun into a plan: every `$(params…)`, `$(context…)` and
 * `$(tasks…)` reference is already substituted. Paths use Tekton's container contract
 * (`/workspace/<name>`, `/tekton/results/<r>`, `/tekton/steps/step-<name>/exitCode`, `/tekton/home`);
 * an executor that cannot provide those paths literally rewrites them to its own folders.
 */
/** One key of a Secret; plans hold these instead of Secret values, which the worker resolves at execution. */
export interface SecretKeyRef {
  secret: string;
  key: string;
}

export const secretRefId = (ref: SecretKeyRef) => `${ref.secret}\u0000${ref.key}`;

export interface StepPlan {
  name: string;
  /** Tekton's step displayName, shown on the run page beside the name (verbatim: upstream substitutes nothing in it). */
  displayName?: string;
  /** Recorded and shown; the local executor runs the worker's own tools instead of pulling it. */
  image?: string;
  /** A script (shebang honoured; none means `#!/bin/sh` with `set -e`), or command + args. */
  script?: string;
  command?: string[];
  args?: string[];
  env: Record<string, string>;
  /** Env vars whose value is a Secret's: stored as references, put into `env` by the worker just before the run. */
  secretEnv?: Record<string, SecretKeyRef>;
  workingDir?: string;
  timeoutMs?: number;
  onError: 'continue' | 'stopAndFail';
  /** Step results it declares, written under `/tekton/steps/step-<name>/results/`; see step-results.ts. */
  results?: { name: string; type: 'string' | 'array' | 'object' }[];
  /** Its `when` expressions, substituted but for earlier steps' results; the step is skipped unless all hold. */
  when?: { input: string; operator: 'in' | 'notin'; values: string[] }[];
  /** The isolated workspaces this step sees (Tekton's step `workspaces`), each at its own mountPath. */
  workspaces?: StepWorkspacePlan[];
  /** The Task's volumes this step mounts (`volumeMounts`, stepTemplate's merged in), see VolumePlan. */
  volumeMounts?: VolumeMountPlan[];
  /** `stdoutConfig.path` / `stderrConfig.path`: container paths the step's output is also written to. */
  stdoutPath?: string;
  stderrPath?: string;
  /** The container's resources: the step's (stepTemplate's, stepSpecs' winning), else its share of the TaskRun's. */
  computeResources?: K8sResources;
  /** The step's container securityContext, verbatim (stepTemplate's filling in what the step leaves out). */
  securityContext?: Record<string, unknown>;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** A container's or pod's `resources` (quantities as strings, e.g. `{limits: {memory: '1Gi'}}`). */
export interface K8sResources {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

/** A file of a ConfigMap or Secret volume: the value, or for a Secret the key the worker reads right before the run. */
export interface VolumeFilePlan {
  /** Relative path inside the volume (a key, or an item's path). */
  path: string;
  value?: string;
  /** Bytes instead of text (a ConfigMap's binaryData), base64. */
  base64?: string;
  secret?: SecretKeyRef;
}

/**
 * A Task `volumes` entry as the executor makes it, per TaskRun: `emptyDir` an empty writable folder;
 * `files` the files of a ConfigMap, Secret or projected volume (read-only); `unsupported` a source the
 * plan records (persistentVolumeClaim, csi, downwardAPI, …) that an executor may not provide.
 */
export interface VolumePlan {
  name: string;
  kind: 'emptyDir' | 'files' | 'unsupported';
  /**
   * A `files` volume's files; for an `unsupported` projected volume (a downwardAPI, serviceAccountToken or
   * clusterTrustBundle source beside configMap and secret ones), the files of its configMap and secret sources.
   */
  files?: VolumeFilePlan[];
  /** For `unsupported`: which source, e.g. `persistentVolumeClaim` or `projected.downwardAPI`. */
  source?: string;
  /**
   * The Task volume's Kubernetes source verbatim after substitution, e.g. `{persistentVolumeClaim: {claimName}}`,
   * `{csi: {...}}`, `{emptyDir: {}}`, for an executor that makes real volumes. (The contract called it `source`,
   * which plans already use for the unsupported source's name, read by the local executor.)
   */
  volumeSource?: Record<string, unknown>;
}

export interface VolumeMountPlan {
  volume: string;
  /** `volume` names a bound workspace (`name: $(workspaces.<w>.volume)`, as upstream's sidecars mount one): its folder is mounted. */
  workspace?: boolean;
  mountPath: string;
  /** Relative path inside the volume, already checked (no "..", not absolute). */
  subPath?: string;
  readOnly: boolean;
}

/** A Task's sidecar, as far as an executor needs to know of it. */
export interface SidecarPlan {
  name: string;
  image?: string;
  /** What it runs, as a step (script, or command + args); neither means its image's entrypoint. */
  script?: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  volumeMounts?: VolumeMountPlan[];
  /** Why the local executor cannot start it (e.g. env from a Secret), when it cannot. */
  unsupported?: string;
  /**
   * The sidecar as a Kubernetes Container after substitution (readinessProbe, ports, resources, securityContext,
   * env including valueFrom, sidecarSpecs' resources applied): a Kubernetes executor uses it verbatim.
   */
  container?: Record<string, unknown>;
}

export interface StepWorkspacePlan {
  name: string;
  /** Where this step sees the workspace: the step's mountPath, or the workspace's own. */
  mountPath: string;
}

export interface WorkspacePlan {
  name: string;
  /** Where steps see it, `/workspace/<name>` unless the task says otherwise. */
  mountPath: string;
  /** The folder on the worker that backs it (already including any subPath). */
  hostPath: string;
  /**
   * The volume's own folder, which no step can replace (`<data>/volumes/<claim>`, a run's workspace
   * folder): hostPath lies inside it, and the executor reaches hostPath from it without following
   * symlinks. Plans stored before it existed lack it; hostPath itself is then the root.
   */
  root?: string;
  readOnly: boolean;
  /** Listed by some step's `workspaces`: only those steps see it (at StepPlan.workspaces' mountPath), no other step. */
  isolated?: boolean;
  /** The volume a Kubernetes executor mounts; plans stored before it existed lack it. */
  source?: WorkspaceSource;
  /** The binding's subPath inside the volume (hostPath already includes it, for the local executor). */
  subPath?: string;
}

/** A workspace binding's volume, as a Kubernetes executor makes it. */
export type WorkspaceSource =
  | { kind: 'emptyDir'; medium?: string }
  /**
   * A claim the binding names. `claimSpec`: the spec of the PersistentVolumeClaim document applied to Keelson under
   * that name, when there is one: a Kubernetes executor creates the claim from it in the run namespace if missing.
   */
  | { kind: 'persistentVolumeClaim'; claimName: string; claimSpec?: Record<string, unknown> }
  /** The run's own PVC, `<template name or "pvc">-<hash of workspace + run uid>` as upstream names it. */
  | { kind: 'volumeClaimTemplate'; claimName: string; template: Record<string, unknown> }
  /** configMap, secret and projected workspaces: their files, as VolumePlan.files. */
  | { kind: 'files'; files: VolumeFilePlan[] }
  /** A CSI volume, verbatim (`{driver, readOnly?, fsType?, volumeAttributes?, nodePublishSecretRef?}`). */
  | { kind: 'csi'; csi: Record<string, unknown> }
  /**
   * A projected workspace with sources only a cluster provides: its configMap and secret sources as files (as
   * `files`), its downwardAPI, serviceAccountToken and clusterTrustBundle sources verbatim, in `sources`.
   */
  | { kind: 'projected'; files: VolumeFilePlan[]; sources: Record<string, unknown>[]; defaultMode?: number };

/** Pod-level settings of a TaskRun. */
export interface PodPlan {
  /** The TaskRun's, else its PipelineRun's taskRunSpecs entry's, else taskRunTemplate's, as upstream. */
  serviceAccountName?: string;
  /**
   * Tekton's PodTemplate (nodeSelector, tolerations, affinity, securityContext, imagePullSecrets, hostAliases,
   * env, volumes, ...): the PipelineRun's taskRunTemplate merged with the task's taskRunSpecs entry, which wins.
   */
  podTemplate?: Record<string, unknown>;
}

export interface TaskRunPlan {
  /** e.g. `build-pr-x7k2q-compile`, unique per attempt's TaskRun. */
  taskRunName: string;
  steps: StepPlan[];
  workspaces: WorkspacePlan[];
  /** Declared result names; files under /tekton/results with these names are collected. */
  resultNames: string[];
  /** Task results whose value is a step result (`$(steps.<step>.results.<r>)`), filled in after the steps. */
  resultsFromSteps?: { name: string; value: string }[];
  /** Whole-TaskRun timeout; undefined or 0 means none. */
  timeoutMs?: number;
  /**
   * Values replaced by `***` in stored logs (secret workspace data, env from secrets). Empty in a stored
   * plan: the worker fills it from `maskRefs` right before the run, so the values never rest in a table.
   */
  secretsToMask: string[];
  /** The Secret keys whose values are masked in logs. */
  maskRefs?: SecretKeyRef[];
  /** The Task's `volumes`, which steps mount by name. */
  volumes?: VolumePlan[];
  /** The Task's sidecars; the local executor runs those with a script or command beside the steps. */
  sidecars?: SidecarPlan[];
  /** Pod-level settings for a Kubernetes executor; the local executor ignores them. */
  pod?: PodPlan;
  /**
   * The pod's labels as Tekton sets them: the TaskRun's own labels, then `tekton.dev/taskRun`, `tekton.dev/task`,
   * `tekton.dev/pipelineRun`, `tekton.dev/pipelineTask`, `tekton.dev/pipeline` (when known) and
   * `app.kubernetes.io/managed-by`.
   */
  labels?: Record<string, string>;
  /** The pod's annotations: the TaskRun's own. */
  annotations?: Record<string, string>;
}

export type StepTerminationReason = 'Completed' | 'Error' | 'TimedOut' | 'Cancelled' | 'Skipped';

export interface StepOutcome {
  name: string;
  exitCode: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  reason: StepTerminationReason;
  message?: string;
  /** The step results it wrote, verbatim. */
  results?: Record<string, string>;
}

export interface TaskRunOutcome {
  status: 'Succeeded' | 'Failed';
  /**
   * Tekton's TaskRun reasons (Succeeded, Failed, TaskRunTimeout, TaskRunCancelled), or the local
   * executor's refusal of what only a Kubernetes executor provides (see TaskRunReason in reasons.ts).
   */
  reason:
    | 'Succeeded'
    | 'Failed'
    | 'TaskRunTimeout'
    | 'TaskRunCancelled'
    | 'StepImageEntrypointUnsupported'
    | 'SidecarsUnsupported'
    | 'VolumeSourceUnsupported'
    | 'TaskRunDiskFull'
    // The Kubernetes executor's, as upstream's pod reasons (pkg/pod/status.go, taskrun_types.go):
    | 'TaskRunImagePullFailed'
    | 'CreateContainerConfigError'
    | 'PodCreationFailed'
    | 'PodAdmissionFailed'
    | 'ExceededResourceQuota'
    | 'ExceededNodeResources';
  message: string;
  steps: StepOutcome[];
  /** Result values, verbatim file contents. */
  results: Record<string, string>;
  /** How steps were isolated; 'none' means the bubblewrap fallback was used; 'kubernetes': a pod's containers. */
  sandbox: 'bubblewrap' | 'none' | 'kubernetes';
  /** The pod that ran it (Kubernetes executor); the engine stores it as `status.podName`. */
  pod?: PodRef;
}

export interface PodRef {
  namespace: string;
  name: string;
}

/** Where a TaskRun runs when its executor runs pods: the Kubernetes executor's 4th `run` argument. */
export interface TaskRunTarget {
  /** The Keelson project (label `keelson.dev/project` on a namespace Keelson creates). */
  project: string;
  namespace: string;
  /**
   * The PipelineRun's name and uid as the database has them (a standalone TaskRun has none): claims of
   * `volumeClaimTemplate` workspaces are labelled with a hash of project, name and uid, and deleted when it ends.
   */
  pipelineRunName?: string;
  pipelineRunUid?: string;
  /** 0 for the first attempt, N for the Nth retry (the TaskRun row's attempt): its pod is `<taskRun>-pod-retry<N>`. */
  attempt: number;
  /**
   * The Secret values the worker loaded for the run (hydratePlan's input, by Secret name and key): what the pod reads
   * from Keelson Secrets besides the hydrated plan (a sidecar's or podTemplate's env from a Secret) goes into the
   * run Secret from here. Never stored.
   */
  secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface LogLine {
  step: string;
  stream: 'stdout' | 'stderr';
  at: Date;
  text: string;
}

export interface ExecutionHooks {
  /** Called with batches of lines, at least every 250 ms while output flows; secrets already masked. */
  onLogs(lines: LogLine[]): Promise<void> | void;
  onStepStarted?(step: string, at: Date): Promise<void> | void;
  onStepFinished?(outcome: StepOutcome): Promise<void> | void;
  /** Aborting kills the running step's whole process group; the outcome is TaskRunCancelled. */
  signal?: AbortSignal;
  /** The Kubernetes executor created the TaskRun's pod (so a reaper can delete it when this worker dies). */
  onPodCreated?(pod: PodRef): Promise<void> | void;
}

/** An executor runs one TaskRun plan to completion. It never throws for step failures. */
export interface TaskRunExecutor {
  readonly kind: string;
  run(plan: TaskRunPlan, workDir: string, hooks: ExecutionHooks, target?: TaskRunTarget): Promise<TaskRunOutcome>;
}
