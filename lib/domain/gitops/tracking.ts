import { groupOf, type KubeObject } from './k8s-object';

/**
 * How Keelson marks what an app owns.
 *
 * The authority is the annotation `keelson.dev/tracking-id: <app>:<group>/<kind>:<namespace>/<name>`,
 * Argo CD's annotation-tracking format under our own prefix. Why an annotation and this format:
 * - Argo CD's label tracking (`app.kubernetes.io/instance`) collides with Helm charts, which set that
 *   label to the release name, and labels cap values at 63 characters.
 * - Carrying the object's own identity lets us reject copies: controllers copy annotations to what
 *   they create (a Deployment's ReplicaSets), and those copies must not count as the app's, or a
 *   prune would delete them.
 *
 * A label `keelson.dev/managed: "true"` is set as well, only so watches can filter server-side with a
 * label selector (annotations cannot be selected). It never decides ownership. We do not touch
 * `app.kubernetes.io/managed-by`, which Helm charts set to "Helm" themselves.
 */
export const TRACKING_ANNOTATION = 'keelson.dev/tracking-id';
export const MANAGED_LABEL = 'keelson.dev/managed';

export interface TrackingId {
  app: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export function formatTrackingId(id: TrackingId): string {
  return `${id.app}:${id.group}/${id.kind}:${id.namespace}/${id.name}`;
}

const TRACKING_RE = /^([^:/]+):([^:/]*)\/([^:/]+):([^:/]*)\/([^:/]+)$/;

export function parseTrackingId(value: string): TrackingId | undefined {
  const m = TRACKING_RE.exec(value);
  if (!m) return undefined;
  return { app: m[1], group: m[2], kind: m[3], namespace: m[4], name: m[5] };
}

/** A copy of `obj` marked as owned by `app`; apply it (and dry-run it) in this form. */
export function withTracking(obj: KubeObject, app: string): KubeObject {
  const id = formatTrackingId({
    app,
    group: groupOf(obj.apiVersion),
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
  });
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...obj.metadata.annotations, [TRACKING_ANNOTATION]: id },
      labels: { ...obj.metadata.labels, [MANAGED_LABEL]: 'true' },
    },
  };
}

/** The app owning `obj`, or undefined when untracked or when the tracking id names another object. */
export function trackedBy(obj: KubeObject): string | undefined {
  const raw = obj.metadata.annotations?.[TRACKING_ANNOTATION];
  const id = raw === undefined ? undefined : parseTrackingId(raw);
  if (!id) return undefined;
  const own =
    id.group === groupOf(obj.apiVersion) &&
    id.kind === obj.kind &&
    id.name === (obj.metadata.name ?? '') &&
    id.namespace === (obj.metadata.namespace ?? '');
  return own ? id.app : undefined;
}
