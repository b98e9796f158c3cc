/**
 * A TaskRun's pod, built purely from its plan as upstream Tekton's pod builder (pkg/pod/pod.go of
 * tektoncd/pipeline v1.15) builds it: init container `prepare` (the entrypoint binary copies itself to
 * /tekton/bin and links /tekton/steps/step-<name> to /tekton/run/<i>/status), `place-scripts` when there
 * are scripts, one container per step in order, then the sidecars; Tekton's emptyDir volumes, the
 * workspaces and the Task's volumes. Secret values go to the run Secret, never into the pod spec.
 */
import type { TaskRunPlan } from '../task-run-plan';
import { ENTRYPOINT_IN_IMAGE, type PodImages } from './images';
import {
  BIN_DIR,
  BIN_VOLUME,
  DOWNWARD_VOLUME,
  ENTRYPOINT_BINARY,
  IMPLICIT_VOLUMES,
  PREPARE_CONTAINER,
  READY_ANNOTATION,
  READY_VALUE,
  RUN_VOLUME,
  STEPS_DIR,
  STEPS_VOLUME,
  stepContainerName,
  stepDirName,
  sidecarContainerNameOf,
} from './pod-paths';
import type { PodPolicy } from './pod-policy';
import { pinToNode, podTemplateEnv, podTemplateFields, podTemplateVolumes } from './pod-template';
import type { Container, PodSpec, V1PodLike, Volume } from './pod-types';
import { envThroughRunSecret, RunSecretBuilder, type RunSecret, type SecretValues } from './run-secret';
import { ScriptPlacer, type ScriptsVia } from './scripts';
import { podSecurityProblems, type Origins } from './security';
import { sidecarContainers } from './sidecar-containers';
import type { ImageCommands } from './step-command';
import { stepContainers } from './step-containers';
import { planVolumes } from './volumes';

/** PodPolicy: what the administrator allows (privileged pods, runtime classes, schedulers, priority classes). */
export interface BuildTaskRunPodInput extends PodPolicy {
  plan: TaskRunPlan;
  podName: string;
  namespace: string;
  images: PodImages;
  /** The image's own ENTRYPOINT/CMD for steps with neither command nor script, keyed by the image as the plan writes it. */
  imageCommands: ImageCommands;
  /** The per-TaskRun Secret that holds secret env values and the files of `files` volumes and workspaces. */
  runSecretName: string;
  /** A per-PipelineRun node pin (a workspace volume that only one node can mount): a required node affinity. */
  nodeName?: string;
  /** Secret values by Secret and key, as loaded by the worker (hydratePlan's input), for secretEnv and secret files. */
  secrets?: SecretValues;
  /** How scripts reach the pod (default upstream's `place-scripts` init container; see ScriptsVia). */
  scriptsVia?: ScriptsVia;
}

export interface BuiltTaskRunPod {
  pod: V1PodLike;
  secret: RunSecret;
  /** Why the pod must not be created, each naming the field and how to fix it; empty when it may. */
  problems: string[];
}

export function buildTaskRunPod(input: BuildTaskRunPodInput): BuiltTaskRunPod {
  const { plan } = input;
  const problems: string[] = [];
  const secret = new RunSecretBuilder(input.runSecretName, input.secrets, problems);
  const scripts = new ScriptPlacer(input.scriptsVia, secret);
  const sidecars = plan.sidecars ?? [];
  // Upstream's isPodReadyImmediately: with sidecars (await-sidecar-readiness, on by default) the first step
  // waits for the ready annotation, which the executor sets once the sidecars are ready.
  const waitForReady = sidecars.length > 0;
  const template = plan.pod?.podTemplate;
  const masked = new Set(plan.secretsToMask.filter((v) => v !== ''));
  const volumes = planVolumes(plan, secret, problems);

  if (plan.steps.length === 0) problems.push('spec.steps: a TaskRun needs at least one step.');
  const steps = stepContainers({
    plan,
    scripts,
    imageCommands: input.imageCommands,
    secret,
    volumes,
    // Once for all steps: a podTemplate env from a Secret is one key of the run Secret.
    templateEnv: podTemplateEnv(template).flatMap((e, k) =>
      envThroughRunSecret(e, `template.${k}.${e.name}`, `podTemplate.env[${k}]`, secret, masked),
    ),
    masked,
    waitForReady,
    problems,
  });
  const sidecarList = sidecarContainers(sidecars, { scripts, volumes, secret, masked, problems });

  const prepare: Container = {
    name: PREPARE_CONTAINER,
    image: input.images.entrypoint,
    workingDir: '/',
    command: [
      ENTRYPOINT_IN_IMAGE,
      'init',
      ENTRYPOINT_IN_IMAGE,
      ENTRYPOINT_BINARY,
      ...plan.steps.map((s, i) => stepDirName(s.name, i)),
    ],
    volumeMounts: [
      { name: BIN_VOLUME, mountPath: BIN_DIR },
      { name: STEPS_VOLUME, mountPath: STEPS_DIR },
    ],
  };
  const placeScripts = scripts.container(input.images.shell);
  const emptyDir = (name: string): Volume => ({ name, emptyDir: {} });
  const taskVolumes = volumes.volumes;
  const templateVolumes = podTemplateVolumes(template);
  const podVolumes: Volume[] = [
    ...IMPLICIT_VOLUMES.map(emptyDir),
    ...(scripts.volume() ? [scripts.volume()!] : []),
    emptyDir(BIN_VOLUME),
    ...(waitForReady
      ? [
          {
            name: DOWNWARD_VOLUME,
            downwardAPI: {
              items: [{ path: 'ready', fieldRef: { fieldPath: `metadata.annotations['${READY_ANNOTATION}']` } }],
            },
          },
        ]
      : []),
    ...plan.steps.map((_, i) => emptyDir(`${RUN_VOLUME}-${i}`)),
    ...taskVolumes,
    ...templateVolumes,
  ];
  duplicateVolumes(podVolumes, problems);

  const fields = podTemplateFields(template);
  const spec: PodSpec = {
    restartPolicy: 'Never',
    initContainers: [prepare, ...(placeScripts ? [placeScripts] : [])],
    containers: [...steps, ...sidecarList],
    volumes: podVolumes,
    ...(plan.pod?.serviceAccountName ? { serviceAccountName: plan.pod.serviceAccountName } : {}),
    ...fields,
    ...(input.nodeName ? { affinity: pinToNode(fields.affinity, input.nodeName) } : {}),
    // Upstream: 1.5 times the TaskRun's timeout, so the kubelet stops a pod the executor lost track of.
    ...(plan.timeoutMs && plan.timeoutMs > 0
      ? { activeDeadlineSeconds: Math.ceil((plan.timeoutMs * 1.5) / 1000) }
      : {}),
  };

  const labels: Record<string, string> = { ...(plan.labels ?? {}), 'tekton.dev/taskRun': plan.taskRunName };
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_VALUE.test(value))
      problems.push(
        `metadata.labels["${key}"]: "${value}" is not a valid label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit); shorten or rename it.`,
      );
  }
  const annotations: Record<string, string> = {
    ...(plan.annotations ?? {}),
    ...(waitForReady ? {} : { [READY_ANNOTATION]: READY_VALUE }),
  };

  const secretBytes = [...Object.entries(secret.secret.stringData), ...Object.entries(secret.secret.data)].reduce(
    (sum, [k, v]) => sum + k.length + Buffer.byteLength(v, 'utf8'),
    0,
  );
  if (secretBytes > MAX_SECRET_BYTES)
    problems.push(
      `volumes and env: the TaskRun's secret env values and configMap/secret/projected files come to ${secretBytes} bytes, over the ${MAX_SECRET_BYTES} bytes a Kubernetes Secret holds; pass large files through a workspace (a persistentVolumeClaim) instead.`,
    );

  if (!input.allowPrivileged) {
    const origins = originsOf(plan, templateVolumes, volumes.workspaceVolumes);
    problems.push(...podSecurityProblems({ spec, annotations }, input.runSecretName, origins, input));
  }

  return {
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: input.podName, namespace: input.namespace, labels, annotations },
      spec,
    },
    secret: secret.secret,
    problems,
  };
}

/** A Secret's data may take up to 1 MiB (the apiserver's limit); keep a margin for its own fields. */
const MAX_SECRET_BYTES = 1_000_000;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function duplicateVolumes(volumes: readonly Volume[], problems: string[]): void {
  const seen = new Set<string>();
  for (const v of volumes) {
    if (seen.has(v.name))
      problems.push(
        `volumes: two volumes are named "${v.name}" (a Task volume or podTemplate volume repeats a name Tekton or another volume uses); rename one.`,
      );
    seen.add(v.name);
  }
}

function originsOf(
  plan: TaskRunPlan,
  templateVolumes: readonly Volume[],
  workspaceVolumes: ReadonlyMap<string, string>,
): Origins {
  const containers = new Map<string, string>();
  plan.steps.forEach((s, i) => containers.set(stepContainerName(s.name, i), `spec.steps[${i}] (${s.name})`));
  (plan.sidecars ?? []).forEach((s, i) =>
    containers.set(sidecarContainerNameOf(s.name), `spec.sidecars[${i}] (${s.name})`),
  );
  const volumes = new Map(workspaceVolumes);
  (plan.volumes ?? []).forEach((v, i) => volumes.set(v.name, `spec.volumes[${i}] (${v.name})`));
  templateVolumes.forEach((v, i) => volumes.set(v.name, `podTemplate.volumes[${i}] (${v.name})`));
  return {
    container: (name) => containers.get(name) ?? `pod container "${name}"`,
    volume: (name) => volumes.get(name) ?? `pod volume "${name}"`,
    pod: 'podTemplate',
  };
}
