/**
 * One container per step, as upstream's Build and orderContainers make them: the entrypoint binary runs
 * the step's command once the previous step's post file exists, every step mounts its own
 * /tekton/run/<i> read-write and the others' read-only, plus Tekton's implicit folders unless the step
 * mounts something of its own at that path.
 */
import type { StepPlan, TaskRunPlan } from '../task-run-plan';
import { normaliseContainerPath } from '../workspace-paths';
import {
  DOWNWARD_DIR,
  DOWNWARD_VOLUME,
  ENTRYPOINT_BINARY,
  IMPLICIT_MOUNTS,
  RUN_VOLUME,
  TERMINATION_PATH,
  WORKSPACE_DIR,
  runDir,
  stepContainerName,
} from './pod-paths';
import type { Container, EnvVar, VolumeMount } from './pod-types';
import type { RunSecretBuilder } from './run-secret';
import { mentionsStepResults, SCRIPTS_MOUNT, type ScriptPlacer } from './scripts';
import { entrypointArgs, resolveCommand, type ImageCommands } from './step-command';
import type { PlanVolumes } from './volumes';

export interface StepContainerContext {
  plan: TaskRunPlan;
  scripts: ScriptPlacer;
  imageCommands: ImageCommands;
  secret: RunSecretBuilder;
  volumes: PlanVolumes;
  /** Env of the podTemplate, appended to every step's (so it wins, as upstream). */
  templateEnv: readonly EnvVar[];
  /** Values that are secret (the plan's secretsToMask): env holding one goes through the run Secret. */
  masked: ReadonlySet<string>;
  /** The first step waits for the pod's ready annotation (the pod has sidecars). */
  waitForReady: boolean;
  problems: string[];
}

export function stepContainers(ctx: StepContainerContext): Container[] {
  const { plan } = ctx;
  const fromSteps = new Set((plan.resultsFromSteps ?? []).map((r) => r.name));
  const taskResults = plan.resultNames.filter((r) => !fromSteps.has(r));
  return plan.steps.map((step, index) => {
    const at = `spec.steps[${index}] (${step.name || `unnamed-${index}`})`;
    if (!step.image)
      ctx.problems.push(`${at}.image: a step needs an image to run in a pod; add one, e.g. image: alpine`);
    const resolved = resolveCommand(step, `script-${index}`, index, ctx.scripts, ctx.imageCommands);
    const run = 'problem' in resolved ? { command: ['/bin/false'], args: [] } : resolved;
    if ('problem' in resolved) ctx.problems.push(`${at}: the step ${resolved.problem}`);
    if (step.workingDir && mentionsStepResults(step.workingDir))
      ctx.problems.push(
        `${at}.workingDir: "${step.workingDir}" names a step result, which a pod only has once the container runs (upstream's entrypoint fills them in env, command and args); use a fixed workingDir and cd in the script.`,
      );
    const env = [...stepEnv(step, index, ctx, at), ...(run.env ?? []), ...ctx.templateEnv];
    const scripted = run.command[0]?.startsWith('/tekton/scripts/') ?? false;
    const container: Container = {
      name: stepContainerName(step.name, index),
      image: step.image ?? '',
      command: [ENTRYPOINT_BINARY],
      args: entrypointArgs(step, { index, waitForReady: ctx.waitForReady, taskResults }, run),
      ...(step.workingDir?.trim() ? { workingDir: containerWorkingDir(step.workingDir) } : {}),
      ...(env.length ? { env } : {}),
      volumeMounts: stepMounts(step, index, ctx, scripted),
      ...(step.computeResources ? { resources: step.computeResources } : {}),
      ...(step.securityContext ? { securityContext: step.securityContext } : {}),
      ...(step.imagePullPolicy ? { imagePullPolicy: step.imagePullPolicy } : {}),
      terminationMessagePath: TERMINATION_PATH,
    };
    return container;
  });
}

/** A relative workingDir lies under /workspace, as the local executor and upstream's working-dir-initializer have it. */
export function containerWorkingDir(dir: string): string {
  return normaliseContainerPath(dir.startsWith('/') ? dir : `${WORKSPACE_DIR}/${dir}`);
}

/** The step's env: plain values inline, secret ones (secretEnv, or a value that is masked) through the run Secret. */
function stepEnv(step: StepPlan, index: number, ctx: StepContainerContext, at: string): EnvVar[] {
  const fromSecret = (name: string, value: string): EnvVar => ({
    name,
    valueFrom: {
      secretKeyRef: { name: ctx.secret.secret.name, key: ctx.secret.putText(`env.${index}.${name}`, value) },
    },
  });
  const env: EnvVar[] = Object.entries(step.env).map(([name, value]) =>
    ctx.masked.has(value) ? fromSecret(name, value) : { name, value },
  );
  for (const [name, ref] of Object.entries(step.secretEnv ?? {})) {
    const value = ctx.secret.resolve(ref, `${at}.env ${name}`);
    if (value !== undefined) env.push(fromSecret(name, value));
  }
  return env;
}

function stepMounts(step: StepPlan, index: number, ctx: StepContainerContext, scripted: boolean): VolumeMount[] {
  const mounts = [...ctx.volumes.stepMounts(step)];
  if (scripted) mounts.push(SCRIPTS_MOUNT);
  if (index === 0 && ctx.waitForReady) mounts.push({ name: DOWNWARD_VOLUME, mountPath: DOWNWARD_DIR, readOnly: true });
  for (let j = 0; j < ctx.plan.steps.length; j++)
    mounts.push({ name: `${RUN_VOLUME}-${j}`, mountPath: runDir(j), readOnly: j !== index });
  const taken = new Set(mounts.map((m) => normaliseContainerPath(m.mountPath)));
  for (const implicit of IMPLICIT_MOUNTS) if (!taken.has(implicit.mountPath)) mounts.push({ ...implicit });
  return mounts;
}
