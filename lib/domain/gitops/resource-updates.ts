/**
 * Argo CD's reconcile optimization (`ignoreResourceUpdates`, on by default since Argo CD 3 with `/status` ignored for
 * every kind): a watch update of a live object that changed nothing a comparison reads (only its status,
 * resourceVersion, generation or managedFields moved) and kept its health (status and message) does not refresh its
 * app.
 * A Deployment rolling out sends a few status updates; its app is refreshed when its health turns, not on each.
 */
import { isDeepStrictEqual } from 'node:util';
import { assessHealth } from './health';
import type { KubeObject } from './k8s-object';
import { normalizeObject } from './normalize';

export function isIgnorableUpdate(previous: KubeObject | undefined, next: KubeObject): boolean {
  if (!previous) return false;
  // Argo CD compares the health status only; the message counts here too, since the app shows it (a crashing pod's
  // "back-off 40s restarting failed container…" follows the kubelet without the status changing).
  const [before, after] = [assessHealth(previous), assessHealth(next)];
  if (before.status !== after.status || before.message !== after.message) return false;
  return isDeepStrictEqual(normalizeObject(previous), normalizeObject(next));
}
