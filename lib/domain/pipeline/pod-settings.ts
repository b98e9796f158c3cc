import { substituteString, type Scope } from './substitute';
import type { TPipelineRunSpec, TTaskRunSpec } from './run-schemas';
import type { PodPlan } from './task-run-plan';

/**
 * A TaskRun's pod-level settings and where they come from: a standalone TaskRun's own spec, or for a
 * PipelineRun's TaskRun the run's `taskRunTemplate` under the pipeline task's `taskRunSpecs` entry
 * (upstream's PipelineRun.GetTaskRunSpec).
 */
export interface TaskRunPodSettings {
  serviceAccountName?: string;
  podTemplate?: Record<string, unknown>;
  computeResources?: TTaskRunSpec['computeResources'];
  stepSpecs?: TTaskRunSpec['stepSpecs'];
  sidecarSpecs?: TTaskRunSpec['sidecarSpecs'];
}

type Template = Record<string, unknown>;

/** The fields Tekton's PodTemplate merge leaves to the default when the template's is unset. */
const unset = (v: unknown) => v === undefined || v === null || v === '';

/**
 * Upstream's MergePodTemplateWithDefault: each field of `tpl` wins over the default's; `env` and `volumes`
 * merge by name (tpl's entries first, then the default's others); `hostNetwork` is on when either sets it.
 */
export function mergePodTemplate(tpl: Template | undefined, defaults: Template | undefined): Template | undefined {
  if (!defaults) return tpl;
  if (!tpl) return defaults;
  const out: Template = { ...tpl };
  for (const [k, v] of Object.entries(defaults)) {
    if (k === 'env' || k === 'volumes') out[k] = mergeByName(v, tpl[k]);
    else if (k === 'hostNetwork') out[k] = tpl.hostNetwork === true || v === true;
    else if (unset(out[k])) out[k] = v;
  }
  return out;
}

function mergeByName(base: unknown, overrides: unknown): unknown {
  const named = (list: unknown) =>
    (Array.isArray(list) ? list : []).filter(
      (i): i is { name: string } => typeof i === 'object' && i !== null && typeof i.name === 'string' && i.name !== '',
    );
  if (named(overrides).length === 0) return base;
  const over = named(overrides);
  const seen = new Set(over.map((i) => i.name));
  return [...over, ...named(base).filter((i) => !seen.has(i.name))];
}

/** The settings of a PipelineRun's TaskRun for one pipeline task, with upstream's precedence. */
export function pipelineTaskRunSettings(
  run: Pick<TPipelineRunSpec, 'taskRunTemplate' | 'taskRunSpecs' | 'serviceAccountName'> | undefined,
  pipelineTask: string,
): TaskRunPodSettings {
  // `spec.serviceAccountName` (v1beta1's place for it) stands in when taskRunTemplate names none.
  let serviceAccountName = run?.taskRunTemplate?.serviceAccountName || run?.serviceAccountName || undefined;
  let podTemplate = run?.taskRunTemplate?.podTemplate;
  const out: TaskRunPodSettings = {};
  for (const s of run?.taskRunSpecs ?? []) {
    if (s.pipelineTaskName !== pipelineTask) continue;
    if (s.podTemplate) podTemplate = mergePodTemplate(s.podTemplate, podTemplate);
    if (s.serviceAccountName) serviceAccountName = s.serviceAccountName;
    out.stepSpecs = s.stepSpecs;
    out.sidecarSpecs = s.sidecarSpecs;
    out.computeResources = s.computeResources;
  }
  return {
    ...(serviceAccountName ? { serviceAccountName } : {}),
    ...(podTemplate ? { podTemplate } : {}),
    ...Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)),
  };
}

const SUBSTITUTED_KEYS = new Set(['nodeSelector', 'matchLabels']);

/**
 * The pod plan with `$(params.…)` substituted in every string of the pod template (and in the keys of
 * `nodeSelector` and label selectors' `matchLabels`), as upstream's ApplyPodTemplateReplacements does with the
 * TaskRun's params (matrix values included). Context variables are not substituted there, nor here.
 */
export function podPlan(settings: TaskRunPodSettings, paramScope: Scope): PodPlan | undefined {
  const sub = (value: unknown, keys = false): unknown => {
    if (typeof value === 'string') return substituteString(value, paramScope);
    if (Array.isArray(value)) return value.map((v) => sub(v));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          keys ? substituteString(k, paramScope) : k,
          sub(v, SUBSTITUTED_KEYS.has(k)),
        ]),
      );
    return value;
  };
  const plan: PodPlan = {
    ...(settings.serviceAccountName ? { serviceAccountName: settings.serviceAccountName } : {}),
    ...(settings.podTemplate ? { podTemplate: sub(settings.podTemplate) as Record<string, unknown> } : {}),
  };
  return Object.keys(plan).length > 0 ? plan : undefined;
}
