import { sidecarContainerName, sidecarLabel } from '../../../domain/pipeline/resolve-volumes';
import type { LogLine, SidecarPlan, StepPlan, TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import { prepareStep, type StepContext } from './prepare-step';
import { runProcess } from './run-process';
import { processSpec } from './run-step';
import type { Spawner } from './spawner';
import type { NetworkEntry } from './spawner-channel';
import { withStepVolumes } from './volumes';
import { sharedWorkspaces, withStepWorkspaces } from './step-workspaces';
import { pathMappings, type RunFolders } from './path-rewrite';
import { pinWorkspaceMounts, raceableMountPoint } from './workspace-folders';

/** How long stopped sidecars may take to end before the TaskRun goes on without waiting. */
const STOP_GRACE_MS = 5_000;

export interface RunningSidecars {
  /** Kills every sidecar's process group and waits (a little) for them to end. */
  stop(): Promise<void>;
}

export interface SidecarInput {
  plan: TaskRunPlan;
  ctx: StepContext;
  spawner: Spawner;
  bwrapPath?: string;
  enterNetwork?: () => NetworkEntry | undefined;
  /** A sidecar's output line, logged as step `sidecar-<name>` (sidecarContainerName; masked by the caller). */
  emit(line: Omit<LogLine, 'step'>, sidecar: string): void;
}

/**
 * Starts the Task's sidecars before the first step, each as a step is run (same sandbox, mounts and
 * the TaskRun's network namespace, so steps reach it on localhost), in the background. A sidecar is
 * "ready" once it has started (readiness probes are not evaluated): a step that needs the service
 * waits for it itself. Returns why they cannot start when one cannot; the started ones are stopped.
 */
export async function startSidecars(input: SidecarInput): Promise<RunningSidecars | string> {
  const controller = new AbortController();
  const running: Promise<unknown>[] = [];
  const releases: (() => void)[] = [];
  const stop = async () => {
    controller.abort();
    await Promise.race([Promise.allSettled(running), new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
    releases.splice(0).forEach((release) => release());
  };
  const sidecars = input.plan.sidecars ?? [];
  for (const [i, sidecar] of sidecars.entries()) {
    const step = asStep(sidecar);
    const ctx = {
      ...input.ctx,
      mappings: withStepVolumes(
        withStepWorkspaces(input.ctx.mappings, step, input.plan.workspaces),
        step,
        input.plan,
        input.ctx.folders,
      ),
    };
    const prepared = prepareStep(step, input.plan.steps.length + i, ctx);
    const sandbox = ctx.mode === 'bubblewrap' ? input.bwrapPath : undefined;
    const pinned = prepared.ok && sandbox ? pinWorkspaceMounts(ctx.mappings) : undefined;
    if (!prepared.ok || typeof pinned === 'string') {
      await stop();
      return `sidecar ${sidecarLabel(sidecar.name)} cannot start: ${prepared.ok ? pinned : prepared.message}`;
    }
    if (pinned) releases.push(pinned.release);
    const spec = processSpec(ctx, prepared, sandbox, input.enterNetwork?.(), pinned ? pinned.mappings : ctx.mappings);
    let started!: () => void;
    const spawned = new Promise<void>((resolve) => (started = resolve));
    const ended = runProcess(input.spawner, spec, {
      signal: controller.signal,
      onSpawn: () => started(),
      onLine: (stream, text, at) => input.emit({ stream, text, at }, sidecar.name),
    }).then((end) => {
      started();
      if (!controller.signal.aborted && end.exitCode !== 0)
        input.emit(
          {
            stream: 'stderr',
            at: new Date(),
            text: `sidecar ${sidecarLabel(sidecar.name)} exited with code ${end.exitCode}`,
          },
          sidecar.name,
        );
    });
    running.push(ended);
    await spawned;
  }
  return { stop };
}

/**
 * Why the sandbox cannot run this TaskRun's sidecars safely, if it cannot. A sidecar runs while every
 * later step (and sidecar) is set up, and bubblewrap, root, follows symlinks to make missing mount
 * points: a mount point it must reach through a folder the sidecar may write (a file mount, or one below
 * a folder of `/workspace`, `/tmp` or a volume, see raceableMountPoint) could be swapped for a symlink
 * between the worker's check and the mount, making folders or files anywhere on the host.
 */
export function sidecarMountRace(
  plan: TaskRunPlan,
  folders: RunFolders,
  readOnly: readonly string[] = [],
): string | undefined {
  const base = pathMappings(folders, sharedWorkspaces(plan.workspaces));
  const view = (s: StepPlan) => withStepVolumes(withStepWorkspaces(base, s, plan.workspaces), s, plan, folders);
  const sidecars = (plan.sidecars ?? []).map((c) => ({ s: asStep(c), label: `sidecar ${sidecarLabel(c.name)}` }));
  const views = sidecars.map(({ s }) => view(s));
  for (const { s, label } of [...plan.steps.map((s) => ({ s, label: `step "${s.name}"` })), ...sidecars]) {
    const raced = raceableMountPoint(view(s), folders, readOnly, views);
    if (raced)
      return `${label} mounts ${raced.what}, where steps and sidecars write: with a sidecar running, a folder on the way could be swapped for a symlink before the sandbox mounts there, so the local executor does not run sidecars in such a TaskRun; mount it in a folder of its own (such as /config or /cache), mount it in every sidecar too, start the service in the background in the step's script, or ${ELSEWHERE_SIDECARS}`;
  }
  return undefined;
}

const ELSEWHERE_SIDECARS = 'run the TaskRun where sidecars run as containers (the Kubernetes executor)';

function asStep(sidecar: SidecarPlan): StepPlan {
  return {
    name: sidecarContainerName(sidecar.name),
    ...(sidecar.script === undefined ? {} : { script: sidecar.script }),
    ...(sidecar.command ? { command: sidecar.command } : {}),
    ...(sidecar.args ? { args: sidecar.args } : {}),
    env: sidecar.env ?? {},
    ...(sidecar.workingDir === undefined ? {} : { workingDir: sidecar.workingDir }),
    onError: 'continue',
    ...(sidecar.volumeMounts ? { volumeMounts: sidecar.volumeMounts } : {}),
  };
}
