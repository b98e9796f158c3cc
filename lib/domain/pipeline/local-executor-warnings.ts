import type { ScriptWarning } from './script-interpolation';
import { CLUSTER_ONLY_SOURCES } from './volume-schemas';

/** How to run a TaskRun on the Kubernetes executor instead. */
const ELSEWHERE =
  'the Kubernetes executor (choose a cluster for pipelines under Settings → Pipelines or set ' +
  'KEELSON_PIPELINE_CLUSTER, or annotate the PipelineRun keelson.dev/executor: kubernetes)';

type Spec = Record<string, unknown>;
const isObject = (v: unknown): v is Spec => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Warnings at apply for what upstream accepts and the local executor will fail at run: a step with
 * neither script nor command (it would run its image's entrypoint), a sidecar likewise, and a mounted volume
 * of a source only a cluster provides. The documents are stored; the TaskRun fails with the reason.
 */
export function localExecutorWarnings(documents: readonly unknown[]): ScriptWarning[] {
  const out: ScriptWarning[] = [];
  const stack: { value: unknown; path: string }[] = documents.map((value, i) => ({ value, path: `documents[${i}]` }));
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]` }));
    else if (isObject(value)) {
      if (Array.isArray(value.steps)) out.push(...taskSpecWarnings(value, path));
      for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: `${path}.${key}` });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

function taskSpecWarnings(spec: Spec, path: string): ScriptWarning[] {
  const out: ScriptWarning[] = [];
  const template = isObject(spec.stepTemplate) ? spec.stepTemplate : {};
  list(spec.steps).forEach((step, i) => {
    if (!isObject(step) || step.ref !== undefined || step.script !== undefined) return;
    if (list(step.command).length > 0 || list(template.command).length > 0) return;
    out.push({
      path: `${path}.steps[${i}]`,
      message: `step${typeof step.name === 'string' ? ` "${step.name}"` : ''} has neither script nor command: it relies on its image's entrypoint, which the local executor cannot know, so its TaskRun will fail (StepImageEntrypointUnsupported). Give it a script or a command, or run it on ${ELSEWHERE}.`,
    });
  });
  list(spec.sidecars).forEach((sidecar, i) => {
    if (!isObject(sidecar) || sidecar.script !== undefined || list(sidecar.command).length > 0) return;
    out.push({
      path: `${path}.sidecars[${i}]`,
      message: `sidecar${typeof sidecar.name === 'string' ? ` "${sidecar.name}"` : ''} has neither script nor command: it relies on its image's entrypoint, which the local executor cannot know, so this Task's TaskRuns will fail (SidecarsUnsupported). Give it a script or a command, or run it on ${ELSEWHERE}.`,
    });
  });
  list(spec.volumes).forEach((volume, i) => {
    if (!isObject(volume)) return;
    const source = CLUSTER_ONLY_SOURCES.find((s) => volume[s] !== undefined);
    if (source)
      out.push({
        path: `${path}.volumes[${i}]`,
        message: `a ${source} volume is not provided by the local executor: a TaskRun whose steps mount it will fail (VolumeSourceUnsupported). ${source === 'persistentVolumeClaim' ? 'Declare a workspace and bind it to the claim in the run' : 'Use an emptyDir, configMap, secret or projected volume'}, or run it on ${ELSEWHERE}.`,
      });
  });
  return out;
}
