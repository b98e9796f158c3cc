/**
 * Sidecars as upstream runs them (Tekton sidecars, not native ones): regular containers beside the
 * steps, `sidecar-<name>`, started with the pod; the first step waits until they are ready. The plan's
 * Container is used verbatim (probes, ports, resources); a script goes through place-scripts.
 */
import type { SidecarPlan } from '../task-run-plan';
import { sidecarContainerNameOf } from './pod-paths';
import type { Container, EnvVar, VolumeMount } from './pod-types';
import { envThroughRunSecret, type RunSecretBuilder } from './run-secret';
import { SCRIPTS_MOUNT, type ScriptPlacer } from './scripts';
import type { PlanVolumes } from './volumes';

/** Tekton Sidecar fields that are not Container fields. */
const NOT_CONTAINER = ['script', 'workspaces', 'computeResources', 'restartPolicy'];

export function sidecarContainers(
  sidecars: readonly SidecarPlan[],
  ctx: {
    scripts: ScriptPlacer;
    volumes: PlanVolumes;
    secret: RunSecretBuilder;
    masked: ReadonlySet<string>;
    problems: string[];
  },
): Container[] {
  return sidecars.map((s, i) => {
    const at = `spec.sidecars[${i}] (${s.name})`;
    const base: Record<string, unknown> = s.container
      ? { ...s.container }
      : {
          ...(s.image ? { image: s.image } : {}),
          ...(s.command ? { command: s.command } : {}),
          ...(s.args ? { args: s.args } : {}),
          ...(s.workingDir ? { workingDir: s.workingDir } : {}),
          ...(s.env ? { env: Object.entries(s.env).map(([name, value]) => ({ name, value })) } : {}),
        };
    const computeResources = base.computeResources;
    for (const key of NOT_CONTAINER) delete base[key];
    if (computeResources && !base.resources) base.resources = computeResources;
    if (!base.image) ctx.problems.push(`${at}.image: a sidecar needs an image; add one, e.g. image: redis`);
    const container: Container = { ...base, name: sidecarContainerNameOf(s.name) };
    if (s.script) {
      container.command = [ctx.scripts.place(s.script, `sidecar-script-${i}`)];
      if (s.args) container.args = s.args;
    }
    const env = (container.env ?? []).flatMap((e: EnvVar, k) =>
      envThroughRunSecret(e, `sidecar.${i}.${k}.${e.name}`, `${at}.env`, ctx.secret, ctx.masked),
    );
    if (env.length) container.env = env;
    else delete container.env;
    // The plan's checked mounts; a plan without them keeps the Container's own (Task volumes by name).
    const verbatim = s.volumeMounts ? [] : ((base.volumeMounts as VolumeMount[] | undefined) ?? []);
    const paths = new Set(verbatim.map((m) => m.mountPath));
    const planned = ctx.volumes.sidecarMounts(s.volumeMounts).filter((m) => !paths.has(m.mountPath));
    container.volumeMounts = [...verbatim, ...planned, ...(s.script ? [SCRIPTS_MOUNT] : [])];
    return container;
  });
}
