/** Kubernetes Events about one object, newest first, for the resource panel. */
import { z } from 'zod';
import type { KubeConnection } from './connection';
import type { KubeObject } from './objects';
import { listObjects } from './read';

export interface KubeEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: string;
  involvedObject: { kind?: string; name?: string; uid?: string };
}

const zCoreEvent = z.looseObject({
  type: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  count: z.number().optional(),
  firstTimestamp: z.string().nullish(),
  lastTimestamp: z.string().nullish(),
  eventTime: z.string().nullish(),
  series: z.looseObject({ count: z.number().optional(), lastObservedTime: z.string().optional() }).nullish(),
  source: z.looseObject({ component: z.string().optional(), host: z.string().optional() }).nullish(),
  reportingComponent: z.string().nullish(),
  involvedObject: z.looseObject({
    kind: z.string().optional(),
    name: z.string().optional(),
    uid: z.string().optional(),
  }),
  metadata: z.looseObject({ creationTimestamp: z.string().optional() }),
});

function toEvent(raw: KubeObject): KubeEvent | undefined {
  const parsed = zCoreEvent.safeParse(raw);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  const last =
    e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? undefined;
  return {
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    count: e.series?.count ?? e.count ?? 1,
    firstTimestamp: e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? undefined,
    lastTimestamp: last,
    source: e.source?.component || e.reportingComponent || undefined,
    involvedObject: { kind: e.involvedObject.kind, name: e.involvedObject.name, uid: e.involvedObject.uid },
  };
}

export interface EventTarget {
  kind: string;
  name: string;
  namespace?: string;
  /** Preferred: only events about this incarnation of the object. */
  uid?: string;
}

/** Events whose involvedObject is the target (by uid when known, else by kind and name). */
export async function listEvents(
  conn: KubeConnection,
  target: EventTarget | KubeObject,
  { limit = 100 } = {},
): Promise<KubeEvent[]> {
  const t: EventTarget =
    'metadata' in target
      ? {
          kind: target.kind,
          name: target.metadata.name ?? '',
          namespace: target.metadata.namespace,
          uid: target.metadata.uid,
        }
      : target;
  const fieldSelector = t.uid
    ? `involvedObject.uid=${t.uid}`
    : `involvedObject.kind=${t.kind},involvedObject.name=${t.name}`;
  // Events of cluster-scoped objects live in "default".
  const { items } = await listObjects(conn, {
    apiVersion: 'v1',
    kind: 'Event',
    namespace: t.namespace ?? 'default',
    fieldSelector,
  });
  return items
    .map(toEvent)
    .filter((e): e is KubeEvent => e !== undefined)
    .sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''))
    .slice(0, limit);
}
