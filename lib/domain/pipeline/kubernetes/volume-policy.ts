/**
 * The volumes a tenant's pod may have on a shared cluster: only the Pod Security Standard "restricted" policy's
 * volume types (the others mount from the node or a network server as the node, or run a driver on the node), and
 * no volume source that names a Kubernetes Secret other than the run Secret (other runs' Secrets live in the same
 * namespace), nor the run Secret whole (it holds every secret value of the TaskRun).
 */
import type { Volume } from './pod-types';

/** The restricted policy's volume types (pod-security-admission's restrictedVolumes check). */
export const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
  'image',
]);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

export function volumePolicyProblems(v: Volume, runSecret: string, at: string, how: string): string[] {
  const out: string[] = [];
  for (const [type, source] of Object.entries(v)) {
    if (type === 'name' || source === undefined) continue;
    if (type === 'hostPath') out.push(`${at}.hostPath: a hostPath volume reads and writes the node's files. ${how}`);
    // CVE-2024-10220: the kubelet runs git (and a repository's hooks) on the node, as root, to fill a gitRepo volume.
    else if (type === 'gitRepo')
      out.push(
        `${at}.gitRepo: a gitRepo volume runs git on the node itself; clone in a step into a workspace instead. ${how}`,
      );
    else if (!RESTRICTED_VOLUME_TYPES.has(type))
      out.push(
        `${at}.${type}: a ${type} volume is mounted by the node itself (from any server, or through a driver on the node); use a persistentVolumeClaim, csi or emptyDir volume, or a workspace, instead. ${how}`,
      );
    for (const ref of secretRefs(source, `${at}.${type}`, type)) {
      if (ref.name !== runSecret) out.push(secretRefProblem(ref.at, ref.name));
      else if (ref.whole)
        out.push(
          `${ref.at}: names the TaskRun's own run Secret without items, which would show every secret value of the TaskRun; use a Keelson Secret in a secret volume or workspace instead.`,
        );
    }
  }
  return out;
}

interface SecretRef {
  at: string;
  name: unknown;
  /** A secret volume or projected secret source without items: every key of the Secret. */
  whole: boolean;
}

/**
 * Every Kubernetes Secret a volume source names: `secretName` (secret, azureFile), `secretRef`/`*SecretRef`
 * (rbd, cephfs, iscsi, flexVolume, scaleIO, storageos, csi's nodePublishSecretRef), projected `secret` sources.
 */
function secretRefs(value: unknown, at: string, type?: string): SecretRef[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretRefs(v, `${at}[${i}]`, type));
  const o = obj(value);
  if (!o) return [];
  const out: SecretRef[] = [];
  const noItems = !Array.isArray(o.items) || o.items.length === 0;
  for (const [key, v] of Object.entries(o)) {
    const here = `${at}.${key}`;
    if (key === 'secretName' && typeof v === 'string')
      // azureFile's secretName holds the storage account key: never "whole" in the sense of items.
      out.push({ at: here, name: v, whole: type !== 'azureFile' && noItems });
    else if ((key === 'secretRef' || key.endsWith('SecretRef')) && obj(v))
      out.push({ at: here, name: obj(v)!.name, whole: true });
    else if (key === 'secret' && obj(v) && obj(v)!.name !== undefined)
      out.push({
        at: here,
        name: obj(v)!.name,
        whole: !Array.isArray(obj(v)!.items) || (obj(v)!.items as unknown[]).length === 0,
      });
    else out.push(...secretRefs(v, here, type ?? key));
  }
  return out;
}

export function secretRefProblem(at: string, name: unknown): string {
  return `${at}: names the Kubernetes Secret "${String(name)}" of the run namespace, which TaskRuns do not read directly (other runs' Secrets live there). Refer to a Keelson Secret instead (a step's env secretKeyRef, or a secret workspace or volume), which Keelson hands to the pod itself.`;
}
