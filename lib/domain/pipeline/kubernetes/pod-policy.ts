/**
 * What an administrator decides for tenants' pods on a shared cluster (KEELSON_ALLOW_PRIVILEGED_PODS and the
 * KEELSON_POD_* allow-lists), and the pod-level checks beside the container ones of security.ts: annotations that
 * turn off AppArmor or seccomp, tolerations that reach control-plane nodes (or every node), and the runtime class,
 * scheduler and priority class a pod may name.
 */
import type { PodSpec } from './pod-types';

export interface PodPolicy {
  /** Let pods have what a shared cluster refuses (hostPath, host namespaces, privileged, any volume type, ...). */
  allowPrivileged?: boolean;
  /** runtimeClassName values a podTemplate may set; empty or unset: none. */
  allowedRuntimeClasses?: readonly string[];
  /** schedulerName values a podTemplate may set besides `default-scheduler`; empty or unset: none. */
  allowedSchedulers?: readonly string[];
  /** priorityClassName values a podTemplate may set; empty or unset: none. */
  allowedPriorityClasses?: readonly string[];
}

/** Taints of control-plane nodes (kubeadm's current and former names). */
const CONTROL_PLANE_TAINTS = new Set(['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master']);

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

export function annotationProblems(annotations: Readonly<Record<string, string>>, how: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    const at = `metadata.annotations["${key}"]`;
    // Baseline allows only the runtime's default profile or one loaded on the node (localhost/<name>).
    if (key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !value.startsWith('localhost/'))
      out.push(
        `${at}: "${value}" turns off AppArmor for the container; remove the annotation or use runtime/default. ${how}`,
      );
    if ((key === SECCOMP_POD || key.startsWith(SECCOMP_PREFIX)) && value.trim().toLowerCase() === 'unconfined')
      out.push(
        `${at}: "unconfined" turns off the syscall filter; remove the annotation or use runtime/default. ${how}`,
      );
  }
  return out;
}

export function schedulingProblems(spec: PodSpec, at: string, policy: PodPolicy, how: string): string[] {
  const out: string[] = [];
  for (const [i, t] of (Array.isArray(spec.tolerations) ? spec.tolerations : []).entries()) {
    const key = obj(t)?.key;
    if (key === undefined || key === '') {
      if (obj(t)?.operator === 'Exists')
        out.push(
          `${at}.tolerations[${i}]: operator Exists without a key tolerates every taint, control-plane nodes included; name the taint's key. ${how}`,
        );
    } else if (typeof key === 'string' && CONTROL_PLANE_TAINTS.has(key))
      out.push(
        `${at}.tolerations[${i}]: tolerates the taint "${key}" of control-plane nodes, where TaskRuns must not run; remove it. ${how}`,
      );
  }
  allowListed('runtimeClassName', 'runtime classes', policy.allowedRuntimeClasses, 'RUNTIME_CLASSES');
  allowListed('schedulerName', 'schedulers', policy.allowedSchedulers, 'SCHEDULERS', 'default-scheduler');
  allowListed('priorityClassName', 'priority classes', policy.allowedPriorityClasses, 'PRIORITY_CLASSES');
  return out;

  function allowListed(
    field: 'runtimeClassName' | 'schedulerName' | 'priorityClassName',
    what: string,
    allowed: readonly string[] | undefined,
    setting: string,
    always?: string,
  ): void {
    const value = spec[field];
    if (value === undefined || value === '' || value === always || allowed?.includes(String(value))) return;
    const listed = allowed?.length ? `only ${allowed.map((a) => `"${a}"`).join(', ')}` : 'none';
    out.push(
      `${at}.${field}: "${String(value)}" is not one of the ${what} an administrator allows for TaskRuns (${listed}); remove it, or ask an administrator to allow it (KEELSON_POD_${setting}).`,
    );
  }
}
