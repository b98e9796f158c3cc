/**
 * What a tenant's TaskRun must not get on a shared cluster: the fields the Kubernetes Pod Security
 * Standard "baseline" forbids (host namespaces, privileged containers, added capabilities beyond the default
 * set, host ports, unconfined seccomp/AppArmor, unsafe sysctls, ...), volumes beyond the "restricted" policy's
 * types (volume-policy.ts), tolerations of control-plane nodes and runtime classes, schedulers and priority
 * classes the administrator did not allow (pod-policy.ts), plus references to Kubernetes Secrets other than the
 * run's own (another run's Secret lives in the same namespace). The builder refuses them unless the
 * installation allows privileged pods.
 */
import { annotationProblems, schedulingProblems, type PodPolicy } from './pod-policy';
import type { Container, PodSpec } from './pod-types';
import { secretRefProblem, volumePolicyProblems } from './volume-policy';

/** Capabilities a baseline pod may add (the container runtime's default set). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

const HOW =
  'A shared cluster does not give TaskRuns this; remove it, or ask an administrator to allow privileged pods.';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Where each part of the pod came from, so a problem names the field the user wrote. */
export interface Origins {
  container(name: string): string;
  volume(name: string): string;
  pod: string;
}

export function podSecurityProblems(
  pod: { spec: PodSpec; annotations: Readonly<Record<string, string>> },
  runSecret: string,
  origins: Origins,
  policy: PodPolicy = {},
): string[] {
  const { spec } = pod;
  const out: string[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const)
    if (spec[field] === true) out.push(`${origins.pod}.${field}: the pod would share the node's namespaces. ${HOW}`);
  out.push(...schedulingProblems(spec, origins.pod, policy, HOW));
  out.push(...annotationProblems(pod.annotations, HOW));
  const podContext = obj(spec.securityContext);
  if (podContext) {
    profileProblems(podContext, `${origins.pod}.securityContext`, out);
    for (const [i, s] of list(podContext.sysctls).entries()) {
      const name = String(obj(s)?.name ?? '');
      if (!SAFE_SYSCTLS.has(name))
        out.push(`${origins.pod}.securityContext.sysctls[${i}]: sysctl "${name}" is not a safe sysctl. ${HOW}`);
    }
  }
  for (const v of spec.volumes) out.push(...volumePolicyProblems(v, runSecret, origins.volume(v.name), HOW));
  for (const c of [...spec.initContainers, ...spec.containers])
    containerProblems(c, runSecret, origins.container(c.name), out);
  return out;
}

function containerProblems(c: Container, runSecret: string, at: string, out: string[]): void {
  const sc = obj(c.securityContext);
  if (sc) {
    if (sc.privileged === true)
      out.push(`${at}.securityContext.privileged: a privileged container controls the node. ${HOW}`);
    for (const [i, cap] of list(obj(sc.capabilities)?.add).entries()) {
      const name = String(cap).toUpperCase().replace(/^CAP_/, '');
      if (!BASELINE_CAPABILITIES.has(name))
        out.push(
          `${at}.securityContext.capabilities.add[${i}]: capability "${String(cap)}" is beyond the default set. ${HOW}`,
        );
    }
    if (sc.procMount !== undefined && sc.procMount !== 'Default')
      out.push(`${at}.securityContext.procMount: only "Default" is allowed. ${HOW}`);
    profileProblems(sc, `${at}.securityContext`, out);
  }
  for (const [i, p] of list(c.ports).entries()) {
    const hostPort = obj(p)?.hostPort;
    if (hostPort !== undefined && hostPort !== 0)
      out.push(`${at}.ports[${i}].hostPort: a host port opens the node's network. ${HOW}`);
  }
  for (const [i, e] of list(c.env).entries()) {
    const name = obj(obj(obj(e)?.valueFrom)?.secretKeyRef)?.name;
    if (name !== undefined && name !== runSecret)
      out.push(secretRefProblem(`${at}.env[${i}].valueFrom.secretKeyRef`, name));
  }
  for (const [i, e] of list(c.envFrom).entries()) {
    const name = obj(obj(e)?.secretRef)?.name;
    if (name !== undefined) out.push(secretRefProblem(`${at}.envFrom[${i}].secretRef`, name));
  }
}

function profileProblems(sc: Obj, at: string, out: string[]): void {
  if (obj(sc.seccompProfile)?.type === 'Unconfined')
    out.push(`${at}.seccompProfile.type: "Unconfined" turns off the syscall filter. ${HOW}`);
  if (obj(sc.appArmorProfile)?.type === 'Unconfined')
    out.push(`${at}.appArmorProfile.type: "Unconfined" turns off AppArmor. ${HOW}`);
  const se = obj(sc.seLinuxOptions);
  if (se) {
    if (!SELINUX_TYPES.has(String(se.type ?? '')))
      out.push(`${at}.seLinuxOptions.type: "${String(se.type)}" is not a container type. ${HOW}`);
    if (se.user !== undefined || se.role !== undefined)
      out.push(`${at}.seLinuxOptions: setting the SELinux user or role is not allowed. ${HOW}`);
  }
  if (obj(sc.windowsOptions)?.hostProcess === true)
    out.push(`${at}.windowsOptions.hostProcess: a host process runs on the node itself. ${HOW}`);
}
