import type { SecretKeyRef, TaskRunPlan, WorkspacePlan } from './task-run-plan';

/** The Secrets a stored plan refers to, by name: what the worker loads right before running it. */
export function secretsReferenced(plan: Pick<TaskRunPlan, 'steps' | 'maskRefs' | 'sidecars' | 'pod'>): string[] {
  const refs: SecretKeyRef[] = [
    ...(plan.maskRefs ?? []),
    ...plan.steps.flatMap((s) => Object.values(s.secretEnv ?? {})),
    ...podEnvSecretRefs(plan),
  ];
  return [...new Set(refs.map((r) => r.secret))];
}

/**
 * The Keelson Secret keys a Kubernetes pod takes as env beyond the steps' `secretEnv`: `valueFrom.secretKeyRef` in a
 * sidecar's Container and in the podTemplate's env. The pod builder puts their values in the run Secret (a required
 * key the worker did not load is its problem, an optional one is left out); their values are masked in logs.
 */
export function podEnvSecretRefs(plan: Pick<TaskRunPlan, 'sidecars' | 'pod'>): SecretKeyRef[] {
  const envs = [...(plan.sidecars ?? []).map((s) => s.container?.env), plan.pod?.podTemplate?.env];
  return envs.flatMap((env) =>
    (Array.isArray(env) ? env : []).flatMap((e: unknown) => {
      const ref = (e as { valueFrom?: { secretKeyRef?: { name?: unknown; key?: unknown } } } | null)?.valueFrom
        ?.secretKeyRef;
      return typeof ref?.name === 'string' && typeof ref.key === 'string' ? [{ secret: ref.name, key: ref.key }] : [];
    }),
  );
}

export type HydrateResult<P> = { ok: true; plan: P } | { ok: false; message: string };

/**
 * Puts Secret values into a stored plan (env from `secretEnv`, `secretsToMask` from `maskRefs` and the pod's env
 * refs), in memory only, for the executor. A Secret or key deleted since the plan was made fails the run, as a pod
 * whose Secret is gone fails with CreateContainerConfigError.
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
  // Pod env refs are not checked here (an optional one may be missing): a value the worker loaded is masked.
  const podEnvValues = podEnvSecretRefs(plan).flatMap((ref) => value(ref) ?? []);
  const masked = new Set(
    [...plan.secretsToMask, ...(plan.maskRefs ?? []).map((ref) => value(ref)!), ...podEnvValues].filter(Boolean),
  );
  return {
    ok: true,
    plan: {
      ...plan,
      steps,
      secretsToMask: [...masked],
      ...(volumes ? { volumes } : {}),
      workspaces: plan.workspaces.map((w) => withWorkspaceFiles(w, value)),
    },
  };
}

/**
 * The Secret files of a workspace's Kubernetes source (secret and projected bindings) with their values, which the
 * pod builder puts in the run Secret; their refs are in maskRefs too. A key the worker did not load keeps its ref,
 * so the pod builder names it.
 */
function withWorkspaceFiles(w: WorkspacePlan, value: (ref: SecretKeyRef) => string | undefined): WorkspacePlan {
  const source = w.source;
  if (source?.kind !== 'files' && source?.kind !== 'projected') return w;
  const files = source.files.map(({ secret, ...f }) => {
    const v = secret && value(secret);
    return v === undefined ? { ...f, ...(secret ? { secret } : {}) } : { ...f, value: v };
  });
  return { ...w, source: { ...source, files } };
}
