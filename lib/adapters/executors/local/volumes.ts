import { lchownSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { sidecarLabel } from '../../../domain/pipeline/resolve-volumes';
import type { StepPlan, TaskRunPlan, VolumePlan } from '../../../domain/pipeline/task-run-plan';
import { normaliseContainerPath, subPathSegments } from '../../../domain/pipeline/workspace-paths';
import type { PathMapping, RunFolders } from './path-rewrite';
import { makeFolders, UnsafePathError, writeFileSafely, type Owner } from './safe-path';

/**
 * A Task's `volumes` on the local executor, made the way workspaces are: each volume is a folder of
 * the TaskRun (`<run>/volumes/<name>`, out of every step's sight but through its own mounts), an
 * emptyDir empty and writable, a ConfigMap, Secret or projected volume holding its files and mounted
 * read-only. A step's volumeMounts become mappings with the volume's folder as their root, so they
 * get the workspaces' checks: every folder reached from that root without following a symlink,
 * re-checked and held open (--bind-fd) right before each step. Files are written without following
 * symlinks; only an emptyDir is writable by steps, and a files volume never is.
 */

/** Where the TaskRun's volumes live: beside its other folders, never mounted itself. */
export function volumesRoot(folders: RunFolders): string {
  return path.join(folders.root, 'volumes');
}

/**
 * Makes every volume's folder and files, and the `/tekton/steps/<index>` links; returns why the
 * TaskRun cannot run, if it cannot.
 */
export function prepareVolumes(plan: TaskRunPlan, folders: RunFolders, owner?: Owner): string | undefined {
  linkStepIndexes(plan, folders, owner);
  if (!plan.volumes?.length) return undefined;
  const root = volumesRoot(folders);
  mkdirSync(root, { recursive: true, mode: 0o755 });
  for (const v of plan.volumes) {
    try {
      makeFolders(root, [v.name]);
      if (v.kind === 'emptyDir' && owner) lchownSync(path.join(root, v.name), owner.uid, owner.gid);
      for (const f of v.files ?? []) {
        const names = subPathSegments(f.path);
        const secret = f.secret !== undefined;
        // Only the step user (or the worker itself when there is none) reads a Secret's file.
        writeFileSafely(
          root,
          [v.name, ...names.slice(0, -1)],
          names[names.length - 1],
          f.base64 === undefined ? (f.value ?? '') : Buffer.from(f.base64, 'base64'),
          secret ? 0o600 : 0o644,
          owner,
        );
      }
      // A step's emptyDir subPath folders, the step user's like the volume itself.
      for (const step of plan.steps)
        for (const m of step.volumeMounts ?? [])
          if (m.volume === v.name && v.kind === 'emptyDir' && m.subPath)
            makeFolders(root, [v.name, ...subPathSegments(m.subPath)], owner);
    } catch (error) {
      if (error instanceof UnsafePathError) return `volume "${v.name}" cannot be made: ${error.message}`;
      throw error;
    }
  }
  return undefined;
}

/**
 * The mappings of a step's volumeMounts. A subPath naming one file of a ConfigMap or Secret volume
 * (`subPath: config.json`) binds that file; nothing but the worker ever writes in such a volume, so
 * it is bound by path. Everything else binds a folder reached from the volume's own folder.
 */
export function stepVolumeMappings(step: StepPlan, plan: TaskRunPlan, folders: RunFolders): PathMapping[] {
  const root = volumesRoot(folders);
  return (step.volumeMounts ?? []).flatMap((m): PathMapping[] => {
    if (m.workspace) {
      const ws = plan.workspaces.find((w) => w.name === m.volume);
      if (!ws) return [];
      const host = path.join(ws.hostPath, ...subPathSegments(m.subPath));
      const container = normaliseContainerPath(m.mountPath);
      return [{ container, host, readOnly: m.readOnly || ws.readOnly, root: ws.root ?? ws.hostPath }];
    }
    const volume = plan.volumes?.find((v) => v.name === m.volume);
    if (!volume) return [];
    const names = subPathSegments(m.subPath);
    const host = path.join(root, volume.name, ...names);
    const container = normaliseContainerPath(m.mountPath);
    if (volume.kind === 'files' && isFileOf(volume, names)) return [{ container, host, readOnly: true, file: true }];
    return [{ container, host, readOnly: m.readOnly, root: path.join(root, volume.name) }];
  });
}

function isFileOf(volume: VolumePlan, names: readonly string[]): boolean {
  const joined = names.join('/');
  return joined !== '' && (volume.files ?? []).some((f) => subPathSegments(f.path).join('/') === joined);
}

/** The reasons the local executor gives for what only an executor that runs images (Kubernetes) provides. */
export type LocalRefusal = {
  reason: 'StepImageEntrypointUnsupported' | 'SidecarsUnsupported' | 'VolumeSourceUnsupported';
  message: string;
};

/** How to run a TaskRun on the Kubernetes executor instead (` runs it` is replaced to say what it does). */
const ELSEWHERE =
  'the Kubernetes executor runs it (choose a cluster for pipelines under Settings → Pipelines or set ' +
  'KEELSON_PIPELINE_CLUSTER, or annotate the PipelineRun keelson.dev/executor: kubernetes)';

/**
 * Why the local executor cannot run this TaskRun at all, decided before any step runs: a step that
 * would run its image's entrypoint (it has neither script nor command; the local executor runs the
 * worker's own tools and never looks into an image), a sidecar it cannot start (no script or command,
 * env from Secrets, or no shared network with the steps), or a mounted volume it cannot provide.
 */
export function localRefusal(plan: TaskRunPlan, ownLoopback = false): LocalRefusal | undefined {
  const bare = plan.steps.filter((s) => s.script === undefined && !s.command?.length);
  if (bare.length > 0) {
    const named = bare.map((s) => `"${s.name}"${s.image ? ` (image ${s.image})` : ''}`).join(', ');
    return {
      reason: 'StepImageEntrypointUnsupported',
      message: `step ${named} has neither script nor command, so it would run its image's entrypoint, which the local executor cannot know (it runs the worker's own tools, not images): give the step a script or a command, or run it where images run: ${ELSEWHERE}`,
    };
  }
  const sidecar = plan.sidecars?.find((s) => (s.script === undefined && !s.command?.length) || s.unsupported);
  const elsewhere = ELSEWHERE.replace(' runs it', ' runs sidecars');
  if (sidecar)
    return {
      reason: 'SidecarsUnsupported',
      message: sidecar.unsupported
        ? `sidecar ${sidecarLabel(sidecar.name)} cannot run here: ${sidecar.unsupported}; give it plain env values, or ${elsewhere}`
        : `sidecar ${sidecarLabel(sidecar.name)}${sidecar.image ? ` (image ${sidecar.image})` : ''} has neither script nor command, so it would run its image's entrypoint, which the local executor cannot know: give it a script or a command, start the service in the background in the step's script, or ${elsewhere}`,
    };
  if (plan.sidecars?.length && ownLoopback)
    return {
      reason: 'SidecarsUnsupported',
      message: `each step has its own loopback on this worker (KEELSON_STEP_NETWORK=none), so no step could reach a sidecar: set KEELSON_STEP_NETWORK=outbound, or start the service in the background in the step's script`,
    };
  const mounted = new Set(plan.steps.flatMap((s) => (s.volumeMounts ?? []).map((m) => m.volume)));
  const unsupported = plan.volumes?.find((v) => v.kind === 'unsupported' && mounted.has(v.name));
  if (unsupported) {
    const hint =
      unsupported.source === 'persistentVolumeClaim'
        ? 'declare a workspace and bind it to the persistentVolumeClaim in the run'
        : 'use an emptyDir, configMap, secret or projected volume, or a workspace';
    return {
      reason: 'VolumeSourceUnsupported',
      message: `volume "${unsupported.name}" is a ${unsupported.source} volume, which the local executor cannot provide: ${hint}; or ${ELSEWHERE.replace(' runs it', ' provides it')}`,
    };
  }
  return workspaceRefusal(plan);
}

/**
 * A workspace bound to what only a cluster provides: a CSI volume, or a projected volume with downwardAPI,
 * serviceAccountToken or clusterTrustBundle sources. The plan carries it for the Kubernetes executor.
 */
function workspaceRefusal(plan: TaskRunPlan): LocalRefusal | undefined {
  for (const ws of plan.workspaces) {
    const source = ws.source;
    let what: string;
    if (source?.kind === 'csi') {
      const driver = typeof source.csi.driver === 'string' ? ` (driver "${source.csi.driver}")` : '';
      what = `a CSI volume${driver}`;
    } else if (source?.kind === 'projected') {
      const kinds = [...new Set(source.sources.flatMap((s) => Object.keys(s)))].join(', ');
      what = `a projected volume with ${kinds} sources`;
    } else continue;
    return {
      reason: 'VolumeSourceUnsupported',
      message: `workspace "${ws.name}" is bound to ${what}, which the local executor cannot provide: this workspace needs the Kubernetes executor (set KEELSON_PIPELINE_CLUSTER or Settings → Pipelines, or annotate the PipelineRun keelson.dev/executor: kubernetes); on the local executor bind an emptyDir, persistentVolumeClaim, volumeClaimTemplate, configMap or secret workspace, or a projected one of configMap and secret sources only`,
    };
  }
  return undefined;
}

/**
 * The step's mappings with its volumeMounts added, most specific container path first. A volume
 * mounted where the executor provides a folder (`/tekton/home`, `/workspace`) replaces that folder for
 * this step, as upstream's explicit volumeMount wins over its implicit one; workspaces inside stay on top.
 */
export function withStepVolumes(
  mappings: readonly PathMapping[],
  step: StepPlan,
  plan: TaskRunPlan,
  folders: RunFolders,
): PathMapping[] {
  if (!step.volumeMounts?.length) return [...mappings];
  const own = stepVolumeMappings(step, plan, folders);
  const replaced = new Set(own.map((m) => m.container));
  return [...own, ...mappings.filter((m) => !replaced.has(m.container))].sort(
    (a, b) => b.container.length - a.container.length,
  );
}

/**
 * `/tekton/steps/<index>` → `step-<name>`, as upstream's entrypoint links them, so a later step reads
 * `/tekton/steps/0/exitCode`. Made before any step runs; the worker itself never follows them.
 */
export function linkStepIndexes(plan: TaskRunPlan, folders: RunFolders, owner?: Owner): void {
  plan.steps.forEach((step, i) => {
    try {
      symlinkSync(`step-${step.name}`, path.join(folders.steps, String(i)));
      if (owner) lchownSync(path.join(folders.steps, String(i)), owner.uid, owner.gid);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  });
}
