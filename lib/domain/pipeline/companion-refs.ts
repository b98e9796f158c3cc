import type { TStep, TStepActionSpec, TTaskSpec } from './task-schemas';
import type { ValidationError } from './validation-error';

/**
 * Where an env var of step `i` comes from, for error paths: the step's own env, its StepAction's
 * (`stepaction(<name>).spec.env[j]`, as `pipeline(<name>).spec` names a referenced Pipeline), or the stepTemplate.
 */
export function envFieldPath(
  raw: TStep,
  i: number,
  spec: TTaskSpec,
  action: TStepActionSpec | undefined,
): (name: string) => string {
  return (name) => {
    const own = raw.env?.findIndex((e) => e.name === name) ?? -1;
    if (own >= 0) return `spec.steps[${i}].env[${own}]`;
    const fromAction = action?.env?.findIndex((e) => e.name === name) ?? -1;
    if (raw.ref && fromAction >= 0) return `stepaction(${raw.ref.name}).spec.env[${fromAction}]`;
    return `spec.stepTemplate.env[${spec.stepTemplate?.env?.findIndex((e) => e.name === name) ?? 0}]`;
  };
}

/**
 * A Secret or ConfigMap (or one of its keys) that env, envFrom or a volume names and the run's project does not
 * have: Kubernetes' CreateContainerConfigError. `sourceExists` tells a missing key from a missing object.
 */
export function missingSource(
  task: string,
  path: string,
  kind: 'Secret' | 'ConfigMap',
  name: string,
  key?: string,
  sourceExists = false,
): ValidationError {
  const noKey = key !== undefined && sourceExists;
  return {
    reason: 'CreateContainerConfigError',
    task,
    path,
    message: noKey ? `${kind} "${name}" has no key "${key}"` : `${kind} "${name}" does not exist`,
    hint: noKey
      ? `Add "${key}" to the ${kind} "${name}", or mark the reference optional.`
      : `Apply a ${kind} named "${name}"${key ? ` with key "${key}"` : ''} in the run's project (in the same file or through the API), or mark the reference optional.`,
  };
}
