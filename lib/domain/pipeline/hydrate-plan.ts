import type { SecretKeyRef, TaskRunPlan } from './task-run-plan';

/** The Secrets a stored plan refers to, by name: what the worker loads right before running it. */
export function secretsReferenced(plan: Pick<TaskRunPlan, 'steps' | 'maskRefs'>): string[] {
  const refs: SecretKeyRef[] = [
    ...(plan.maskRefs ?? []),
    ...plan.steps.flatMap((s) => Object.values(s.secretEnv ?? {})),
  ];
  return [...new Set(refs.map((r) => r.secret))];
}

export type HydrateResult<P> = { ok: true; plan: P } | { ok: false; message: string };

/**
 * Puts Secret values into a stored plan (env from `secretEnv`, `secretsToMask` from `maskRefs`), in memory
 * only, for the executor. A Secret or key deleted since the plan was made fails the run, as a pod whose
 * Secret is gone fails with CreateContainerConfigError.
 */
export function hydratePlan<P extends TaskRunPlan>(
  plan: P,
  secrets: Readonly<Record<string, Readonly<Record<string, string>>>>,
): HydrateResult<P> {
  const value = (ref: SecretKeyRef) => secrets[ref.secret]?.[ref.key];
  for (const ref of [...(plan.maskRefs ?? []), ...plan.steps.flatMap((s) => Object.values(s.secretEnv ?? {}))]) {
    if (value(ref) === undefined) {
      return {
        ok: false,
        message: `Secret "${ref.secret}" has no key "${ref.key}" any more (deleted after the TaskRun was created). Apply it again and rerun.`,
      };
    }
  }
  const steps = plan.steps.map(({ secretEnv, ...step }) => ({
    ...step,
    env: {
      ...step.env,
      ...Object.fromEntries(Object.entries(secretEnv ?? {}).map(([name, ref]) => [name, value(ref)!])),
    },
  }));
  // Secret volume files: their refs are in maskRefs, so each was checked above.
  const volumes = plan.volumes?.map((v) => ({
    ...v,
    files: v.files?.map(({ secret, ...f }) => (secret ? { ...f, value: value(secret) ?? '' } : f)),
  }));
  const masked = new Set([...plan.secretsToMask, ...(plan.maskRefs ?? []).map((ref) => value(ref)!)].filter(Boolean));
  return {
    ok: true,
    plan: { ...plan, steps, secretsToMask: [...masked], ...(volumes ? { volumes } : {}) },
  };
}
