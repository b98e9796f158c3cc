import { sidecarContainer, substituteStrings } from './container-settings';
import type { TaskRunPodSettings } from './pod-settings';
import { substituteString, type Scope } from './substitute';
import type { TSidecar, TStep, TTaskSpec } from './task-schemas';
import type { SecretKeyRef, SidecarPlan, StepPlan, VolumeFilePlan, VolumePlan } from './task-run-plan';
import type { ValidationError } from './validation-error';
import { volumeSource, type TVolume } from './volume-schemas';
import { volumeMountPathProblem } from './volume-mount-paths';
import { normaliseContainerPath, subPathMessage, subPathProblem, subPathSegments } from './workspace-paths';

/**
 * A Task's `volumes`, `sidecars` and each step's `volumeMounts` and output configs as the plan
 * holds them, after `$(…)` substitution and checked again (a param may have turned a path into
 * "../.."). ConfigMap files carry their values; Secret files only references, which the worker
 * fills in right before the run (as Secret env), and which are masked in logs.
 */

export interface VolumeInputs {
  spec: TTaskSpec;
  scope: Scope;
  task: string;
  configMaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** binaryData (base64) by ConfigMap name: its keys are files too, written as bytes. */
  configMapBinary?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  secretKeys?: Readonly<Record<string, readonly string[]>>;
  /** For `sidecarSpecs` (resources of a sidecar's container). */
  pod?: TaskRunPodSettings;
}

export interface ResolvedVolumes {
  volumes: VolumePlan[];
  sidecars: SidecarPlan[];
  /** The Secret keys volumes show: masked in logs. */
  maskRefs: SecretKeyRef[];
  errors: ValidationError[];
}

type Items = readonly { key: string; path: string }[] | undefined;

export function resolveVolumes(input: VolumeInputs): ResolvedVolumes {
  const errors: ValidationError[] = [];
  const maskRefs: SecretKeyRef[] = [];
  const volumes = (input.spec.volumes ?? []).map((v, i) => ({
    ...resolveVolume(v, `spec.volumes[${i}]`),
    volumeSource: kubernetesSource(v, input.scope),
  }));
  const sidecars = (input.spec.sidecars ?? []).map((s, i) => resolveSidecar(s, i, volumes));
  sidecars.forEach((s, i) => {
    const first = sidecars.findIndex((o) => sidecarContainerName(o.name) === sidecarContainerName(s.name));
    if (first < i)
      errors.push(
        invalid(
          input.task,
          `spec.sidecars[${i}].name`,
          `sidecar ${sidecarLabel(s.name)} has the container name "${sidecarContainerName(s.name)}" of spec.sidecars[${first}], and a pod's containers need names of their own: name each sidecar`,
        ),
      );
  });
  return { volumes, sidecars, maskRefs, errors };

  function resolveSidecar(s: TSidecar, index: number, vols: readonly VolumePlan[]): SidecarPlan {
    const sub = (v: string) => substituteString(v, input.scope);
    const fromSources = Boolean(s.envFrom?.length) || Boolean(s.env?.some((e) => e.valueFrom));
    const { volumeMounts } = resolveStepVolumes(s, index, input.scope, vols, input.task, errors, 'spec.sidecars');
    return {
      name: s.name ?? '',
      ...(s.image === undefined ? {} : { image: sub(s.image) }),
      ...(s.script === undefined ? {} : { script: sub(s.script) }),
      ...(s.command ? { command: s.command.map(sub) } : {}),
      ...(s.args ? { args: s.args.map(sub) } : {}),
      ...(s.env?.length ? { env: Object.fromEntries(s.env.map((e) => [e.name, sub(e.value ?? '')])) } : {}),
      ...(s.workingDir === undefined ? {} : { workingDir: sub(s.workingDir) }),
      ...(volumeMounts ? { volumeMounts } : {}),
      ...(fromSources
        ? {
            unsupported:
              'its env comes from a Secret or ConfigMap (valueFrom, envFrom), which sidecars here do not read',
          }
        : {}),
      container: sidecarContainer(s, input.pod, input.scope),
    };
  }

  function resolveVolume(v: TVolume, at: string): VolumePlan {
    if (volumeSource(v) === 'emptyDir') return { name: v.name, kind: 'emptyDir' };
    const files: VolumeFilePlan[] = [];
    if (v.configMap) configMapFiles(v.configMap, `${at}.configMap`, files);
    else if (v.secret) secretFiles({ ...v.secret, name: v.secret.secretName }, `${at}.secret`, files);
    else if (v.projected) {
      let clusterOnly: string | undefined;
      for (const [j, s] of (v.projected.sources ?? []).entries()) {
        if (s.configMap) configMapFiles(s.configMap, `${at}.projected.sources[${j}].configMap`, files);
        else if (s.secret) secretFiles(s.secret, `${at}.projected.sources[${j}].secret`, files);
        else clusterOnly ??= Object.keys(s).find((k) => s[k as keyof typeof s] !== undefined) ?? 'unknown';
      }
      // The configMap and secret sources' files still reach a Kubernetes pod through the run Secret (see VolumePlan).
      if (clusterOnly) return { name: v.name, kind: 'unsupported', source: `projected.${clusterOnly}`, files };
    } else return { name: v.name, kind: 'unsupported', source: volumeSource(v) };
    return { name: v.name, kind: 'files', files };
  }

  function configMapFiles(
    source: { name: string; items?: Items; optional?: boolean },
    at: string,
    files: VolumeFilePlan[],
  ): void {
    const name = substituteString(source.name, input.scope);
    const data = input.configMaps?.[name];
    if (!data) return missing(source.optional, at, 'ConfigMap', name);
    const binary = input.configMapBinary?.[name] ?? {};
    const keys = [...Object.keys(data), ...Object.keys(binary)];
    for (const { key, path } of selected(keys, source.items, at, 'ConfigMap', name, source.optional))
      files.push(Object.hasOwn(data, key) ? { path, value: data[key] } : { path, base64: binary[key] });
  }

  function secretFiles(
    source: { name: string; items?: Items; optional?: boolean },
    at: string,
    files: VolumeFilePlan[],
  ): void {
    const name = substituteString(source.name, input.scope);
    const keys = input.secretKeys?.[name];
    if (!keys) return missing(source.optional, at, 'Secret', name);
    for (const { key, path } of selected(keys, source.items, at, 'Secret', name, source.optional)) {
      files.push({ path, secret: { secret: name, key } });
      maskRefs.push({ secret: name, key });
    }
  }

  /** The files a source shows: every key, or only its items (a missing key fails, as a pod's would, unless optional). */
  function selected(
    keys: readonly string[],
    items: Items,
    at: string,
    kind: 'ConfigMap' | 'Secret',
    name: string,
    optional: boolean | undefined,
  ): { key: string; path: string }[] {
    const chosen = items ?? keys.map((key) => ({ key, path: key }));
    return chosen.flatMap((item, j) => {
      if (!keys.includes(item.key)) {
        if (!optional) missing(false, `${at}.items[${j}].key`, kind, name, item.key);
        return [];
      }
      const path = substituteString(item.path, input.scope);
      const problem = subPathProblem(path) ?? (subPathSegments(path).length === 0 ? 'names no file' : undefined);
      if (problem) {
        errors.push(invalid(input.task, `${at}.items[${j}].path`, subPathMessage('items path', path, problem)));
        return [];
      }
      return [{ key: item.key, path: subPathSegments(path).join('/') }];
    });
  }

  function missing(optional: boolean | undefined, at: string, kind: string, name: string, key?: string): void {
    if (optional) return;
    errors.push({
      reason: 'CreateContainerConfigError',
      task: input.task,
      path: at,
      message: key ? `${kind} "${name}" has no key "${key}"` : `${kind} "${name}" does not exist`,
      hint: key
        ? `Add "${key}" to the ${kind} "${name}", or mark the volume optional.`
        : `Apply a ${kind} named "${name}" in the same file or through the API, or mark the volume optional.`,
    });
  }
}

/** A step's volumeMounts and stdout/stderr paths, substituted and checked; problems go to `errors`. */
export function resolveStepVolumes(
  step: Pick<TStep, 'volumeMounts' | 'stdoutConfig' | 'stderrConfig'>,
  index: number,
  scope: Scope,
  volumes: readonly VolumePlan[],
  task: string,
  errors: ValidationError[],
  list = 'spec.steps',
): Pick<StepPlan, 'volumeMounts' | 'stdoutPath' | 'stderrPath'> {
  const out: Pick<StepPlan, 'volumeMounts' | 'stdoutPath' | 'stderrPath'> = {};
  const at = `${list}[${index}]`;
  const mounts = (step.volumeMounts ?? []).flatMap((m, j) => {
    const where = `${at}.volumeMounts[${j}]`;
    const name = substituteString(m.name, scope);
    // `$(workspaces.<w>.volume)` gives the workspace's name when it is bound: the mount shows that workspace.
    const workspace = scope[`workspaces.${name}.volume`] === name && name !== '';
    const volume = volumes.find((v) => v.name === name) ?? (workspace ? { name, kind: 'workspace' } : undefined);
    const mountPath = substituteString(m.mountPath, scope);
    const subPath = m.subPath === undefined ? undefined : substituteString(m.subPath, scope);
    const problem = volumeMountPathProblem(mountPath);
    const subProblem = subPath === undefined ? undefined : subPathProblem(subPath);
    if (!volume)
      errors.push(
        invalid(task, `${where}.name`, `volumeMount names volume "${name}", which the Task does not declare`),
      );
    else if (problem) errors.push(invalid(task, `${where}.mountPath`, `mountPath "${mountPath}" ${problem}`));
    else if (subProblem)
      errors.push(invalid(task, `${where}.subPath`, subPathMessage('subPath', subPath ?? '', subProblem)));
    else if (m.subPathExpr !== undefined)
      errors.push(
        invalid(
          task,
          `${where}.subPathExpr`,
          'subPathExpr (expanded from the container environment) is not supported: use subPath, which takes $(params.<name>)',
        ),
      );
    else {
      const sub = subPathSegments(subPath).join('/');
      return [
        {
          volume: name,
          ...(volume.kind === 'workspace' ? { workspace: true } : {}),
          mountPath: normaliseContainerPath(mountPath),
          ...(sub ? { subPath: sub } : {}),
          readOnly: !['emptyDir', 'workspace'].includes(volume.kind) || m.readOnly === true,
        },
      ];
    }
    return [];
  });
  if (mounts.length > 0) out.volumeMounts = mounts;
  if (step.stdoutConfig?.path) out.stdoutPath = substituteString(step.stdoutConfig.path, scope);
  if (step.stderrConfig?.path) out.stderrPath = substituteString(step.stderrConfig.path, scope);
  return out;
}

/** A Task volume's Kubernetes source after substitution (`{emptyDir: {}}` for one that names none, as Kubernetes). */
function kubernetesSource(v: TVolume, scope: Scope): Record<string, unknown> {
  const source = Object.fromEntries(Object.entries(v).filter(([k, value]) => k !== 'name' && value !== undefined));
  return Object.keys(source).length > 0
    ? (substituteStrings(source, scope) as Record<string, unknown>)
    : { emptyDir: {} };
}

/**
 * The container name upstream gives a sidecar, which is also its name in logs: `sidecar-<name>`, or
 * `sidecar` for one without a name (upstream trims the dash its name generator would leave).
 */
export function sidecarContainerName(name: string): string {
  return name ? `sidecar-${name}` : 'sidecar';
}

/** A sidecar as sentences name it. */
export function sidecarLabel(name: string): string {
  return name ? `"${name}"` : '(unnamed)';
}

function invalid(task: string, path: string, message: string): ValidationError {
  return { reason: 'TaskRunValidationFailed', task, path, message, hint: 'Fix the field, or the param that fills it.' };
}
