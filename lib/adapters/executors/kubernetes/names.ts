/** Names of the objects a TaskRun's pod needs, as upstream Tekton names them (DNS-1123, at most 63 characters). */
import { createHash } from 'node:crypto';

const LONGEST = 63;
const MD5_LEN = 32;
const HEAD = LONGEST - MD5_LEN;

/**
 * knative's kmeta.ChildName: `parent + suffix`, or when that is longer than 63 characters the parent's head, the
 * md5 of the whole parent and the suffix, so two long names that share a prefix still get different children.
 */
export function childName(parent: string, suffix: string): string {
  if (parent.length <= LONGEST - suffix.length) return parent + suffix;
  if (HEAD - suffix.length <= 0) {
    const hash = createHash('md5')
      .update(parent + suffix)
      .digest('hex');
    let name = parent.slice(0, HEAD) + hash;
    const room = LONGEST - name.length;
    if (room > 0) name += suffix.slice(0, room);
    return name.replace(/-+$/, '');
  }
  const hash = createHash('md5').update(parent).digest('hex');
  return parent.slice(0, HEAD - suffix.length) + hash + suffix;
}

/**
 * The pod of one attempt of a TaskRun: `<taskRun>-pod`, a retry's `<taskRun>-pod-retry<N>` (upstream's names; the
 * TaskRun keeps its name across retries, so the attempt tells the pods apart).
 */
export function taskRunPodName(taskRunName: string, attempt = 0): string {
  return childName(taskRunName, attempt > 0 ? `-pod-retry${attempt}` : '-pod');
}

/** The Secret holding the attempt's secret env values and secret/configMap files (deleted with the pod). */
export function runSecretName(podName: string): string {
  return childName(podName, '-run');
}

/** A DNS-1123 label (namespace, pod, secret names): lower-case alphanumerics and '-', 1-63, alphanumeric ends. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1123Label(name: string): boolean {
  return name.length <= LONGEST && DNS1123_LABEL.test(name);
}
