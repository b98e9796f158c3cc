/**
 * The pod's volumes besides Tekton's own: workspaces from their binding (WorkspacePlan.source), the Task's
 * `volumes` (VolumePlan), and the mounts of each step and sidecar. `files` sources (configMap, secret,
 * projected) become items of the run Secret, so Keelson's own Secrets and ConfigMaps reach the pod
 * without existing in the cluster.
 */
import type {
  StepPlan,
  TaskRunPlan,
  VolumeFilePlan,
  VolumeMountPlan,
  WorkspacePlan,
  WorkspaceSource,
} from '../task-run-plan';
import { boundedName } from './pod-paths';
import type { Volume, VolumeMount } from './pod-types';
import type { RunSecretBuilder } from './run-secret';

export interface PlanVolumes {
  volumes: Volume[];
  /** Each workspace's pod volume name -> the workspace, as problems name it (`workspaces[0] (src)`). */
  workspaceVolumes: Map<string, string>;
  /** A step's own mounts: the workspaces it sees, then its volumeMounts. */
  stepMounts(step: StepPlan): VolumeMount[];
  /** A sidecar's mounts: its volumeMounts, then every workspace no step isolates. */
  sidecarMounts(mounts: readonly VolumeMountPlan[] | undefined): VolumeMount[];
}

export function planVolumes(plan: TaskRunPlan, secret: RunSecretBuilder, problems: string[]): PlanVolumes {
  const taken = new Set((plan.volumes ?? []).map((v) => v.name));
  const wsVolume = new Map<string, string>();
  const workspaceVolumes = new Map<string, string>();
  const volumes: Volume[] = [];

  for (const [i, ws] of plan.workspaces.entries()) {
    let name = boundedName(`ws-${ws.name}`.toLowerCase().replace(/[^-a-z0-9]/g, '-'));
    for (let n = 2; taken.has(name); n++) name = boundedName(`ws-${n}-${ws.name}`.toLowerCase());
    taken.add(name);
    wsVolume.set(ws.name, name);
    workspaceVolumes.set(name, `workspaces[${i}] (${ws.name})`);
    const source = workspaceSource(ws, workspaceVolumes.get(name)!, secret, problems);
    if (source) volumes.push({ name, ...source });
  }

  for (const [i, v] of (plan.volumes ?? []).entries()) {
    const at = `spec.volumes[${i}] (${v.name})`;
    if (v.kind === 'emptyDir') volumes.push({ name: v.name, emptyDir: v.volumeSource?.emptyDir ?? {} });
    else if (v.kind === 'files')
      volumes.push({ name: v.name, ...filesSource(v.files ?? [], `vol.${v.name}`, at, secret) });
    else if (isObject(v.volumeSource?.projected) && v.files)
      volumes.push({
        name: v.name,
        ...projectedVolume(v.volumeSource.projected, v.files, `vol.${v.name}`, at, secret),
      });
    else if (v.volumeSource) volumes.push({ ...v.volumeSource, name: v.name });
    else
      problems.push(
        `${at}: the plan has no Kubernetes source for this ${v.source ?? ''} volume (it was made before the Kubernetes executor existed): rerun the PipelineRun.`,
      );
  }

  const byName = new Map(plan.workspaces.map((w) => [w.name, w]));
  const mount = (m: VolumeMountPlan, owner: string): VolumeMount | undefined => {
    if (m.workspace) {
      const ws = byName.get(m.volume);
      const name = wsVolume.get(m.volume);
      if (!ws || !name) {
        problems.push(`${owner}: mounts workspace "${m.volume}", which the TaskRun does not bind.`);
        return undefined;
      }
      return withSubPath({ name, mountPath: m.mountPath, readOnly: m.readOnly || ws.readOnly }, ws.subPath, m.subPath);
    }
    if (!taken.has(m.volume)) {
      problems.push(`${owner}: mounts volume "${m.volume}", which the Task does not declare in spec.volumes.`);
      return undefined;
    }
    return withSubPath({ name: m.volume, mountPath: m.mountPath, readOnly: m.readOnly }, undefined, m.subPath);
  };

  const shared = plan.workspaces.filter((w) => !w.isolated);
  const workspaceMount = (ws: WorkspacePlan, mountPath: string): VolumeMount =>
    withSubPath({ name: wsVolume.get(ws.name)!, mountPath, readOnly: ws.readOnly }, ws.subPath, undefined);

  return {
    volumes,
    workspaceVolumes,
    stepMounts(step) {
      const own = (step.workspaces ?? []).flatMap((sw) => {
        const ws = byName.get(sw.name);
        return ws?.isolated ? [workspaceMount(ws, sw.mountPath)] : [];
      });
      const mounts = [...shared.map((ws) => workspaceMount(ws, ws.mountPath)), ...own];
      for (const m of step.volumeMounts ?? []) {
        const made = mount(m, `step "${step.name}" volumeMounts`);
        if (made) mounts.push(made);
      }
      return mounts;
    },
    sidecarMounts(list) {
      const mounts = (list ?? []).flatMap((m) => mount(m, 'sidecar volumeMounts') ?? []);
      const paths = new Set(mounts.map((m) => m.mountPath));
      for (const ws of shared) if (!paths.has(ws.mountPath)) mounts.push(workspaceMount(ws, ws.mountPath));
      return mounts;
    },
  };
}

function withSubPath(m: VolumeMount, outer: string | undefined, inner: string | undefined): VolumeMount {
  const subPath = [outer, inner].filter((p): p is string => Boolean(p)).join('/');
  return { ...m, ...(subPath ? { subPath } : {}), ...(m.readOnly ? { readOnly: true } : { readOnly: false }) };
}

function workspaceSource(
  ws: WorkspacePlan,
  at: string,
  secret: RunSecretBuilder,
  problems: string[],
): Record<string, unknown> | undefined {
  const source = ws.source;
  if (!source) {
    problems.push(
      `${at}: the plan has no volume for this workspace (it was made before the Kubernetes executor existed): rerun the PipelineRun.`,
    );
    return undefined;
  }
  switch (source.kind) {
    case 'emptyDir':
      return { emptyDir: source.medium ? { medium: source.medium } : {} };
    case 'persistentVolumeClaim':
    case 'volumeClaimTemplate':
      return { persistentVolumeClaim: { claimName: source.claimName } };
    case 'csi':
      return { csi: source.csi };
    case 'files':
      return filesSource(source.files, `ws.${ws.name}`, at, secret);
    case 'projected':
      return projectedSource(source, `ws.${ws.name}`, at, secret);
  }
}

/**
 * A projected workspace with sources only the cluster provides (downwardAPI, serviceAccountToken, clusterTrustBundle):
 * its configMap and secret files as one source of run Secret items, then those sources verbatim.
 */
function projectedSource(
  source: Extract<WorkspaceSource, { kind: 'projected' }>,
  hint: string,
  at: string,
  secret: RunSecretBuilder,
): Record<string, unknown> {
  const items = runSecretItems(source.files, hint, at, secret);
  // Never a run Secret source without items (see filesSource).
  const sources = [...(items.length ? [{ secret: { name: secret.secret.name, items } }] : []), ...source.sources];
  return { projected: { sources, ...(source.defaultMode === undefined ? {} : { defaultMode: source.defaultMode }) } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A Task's projected volume with a source only the cluster provides (VolumePlan `unsupported` with `files`): its
 * configMap and secret sources (Keelson's, not the cluster's) replaced by the run Secret items of their files.
 */
function projectedVolume(
  projected: Record<string, unknown>,
  files: readonly VolumeFilePlan[],
  hint: string,
  at: string,
  secret: RunSecretBuilder,
): Record<string, unknown> {
  const cluster = (Array.isArray(projected.sources) ? projected.sources : []).filter(
    (s) => isObject(s) && s.configMap === undefined && s.secret === undefined,
  ) as Record<string, unknown>[];
  const { defaultMode } = projected;
  return projectedSource(
    {
      kind: 'projected',
      files: [...files],
      sources: cluster,
      ...(typeof defaultMode === 'number' ? { defaultMode } : {}),
    },
    hint,
    at,
    secret,
  );
}

/**
 * Files as items of the run Secret. Never a Secret volume without items: that would show every key of the
 * run Secret (other steps' secret env) to whoever mounts it, so an empty volume is an empty folder.
 */
function filesSource(
  files: readonly VolumeFilePlan[],
  hint: string,
  at: string,
  secret: RunSecretBuilder,
): Record<string, unknown> {
  const items = runSecretItems(files, hint, at, secret);
  if (items.length === 0) return { emptyDir: {} };
  return { secret: { secretName: secret.secret.name, items } };
}

/** Each file stored in the run Secret, as the item that shows it at its path. */
function runSecretItems(
  files: readonly VolumeFilePlan[],
  hint: string,
  at: string,
  secret: RunSecretBuilder,
): { key: string; path: string }[] {
  return files.flatMap((f) => {
    const key = secret.putFile(`${hint}.${f.path}`, f, `${at} file "${f.path}"`);
    return key === undefined ? [] : [{ key, path: f.path }];
  });
}
