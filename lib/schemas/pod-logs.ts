/**
 * Pod logs of an application's resources: GET /api/v1/applications/{name}/pods and …/logs (server-sent events).
 * Shared by the routes, the use cases, the CLI and the UI. Query strings are validated strictly: an unknown
 * parameter, a bad name or a number out of range is a 400 naming the parameter.
 */
import { z } from 'zod';

/** The kinds whose pods have logs, and the API group each one lives in. */
export const POD_LOG_KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'] as const;
export type TPodLogKind = (typeof POD_LOG_KINDS)[number];
export const POD_LOG_KIND_GROUP: Record<TPodLogKind, string> = {
  Pod: '',
  Deployment: 'apps',
  ReplicaSet: 'apps',
  StatefulSet: 'apps',
  DaemonSet: 'apps',
  Job: 'batch',
};

export const MAX_TAIL_LINES = 100_000;
export const DEFAULT_TAIL_LINES = 1000;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const ZLabel = (what: string) =>
  z
    .string()
    .max(63, `${what} is at most 63 characters`)
    .regex(LABEL, `${what} is a DNS-1123 label: lowercase letters, digits and '-', starting and ending alphanumeric`);
const ZSubdomain = (what: string, missing?: string) =>
  z
    .string(missing ? { error: missing } : undefined)
    .max(253, `${what} is at most 253 characters`)
    .regex(SUBDOMAIN, `${what} is a DNS-1123 subdomain: lowercase letters, digits, '-' and '.'`);

/** An empty value (`?podName=`) is the same as leaving the parameter out. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** `true` or `false`, nothing else (not `1`, `yes` or an empty value). */
const ZFlag = z
  .enum(['true', 'false'], { error: 'use true or false' })
  .default('false')
  .transform((v) => v === 'true');

/** A whole number written in digits, within [min, max]. */
const ZCount = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `use a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `use at least ${min}`).max(max, `use at most ${max}`))
    // What the OpenAPI document says a client may send: digits of a whole number in the range.
    .meta({ type: 'integer', minimum: min, maximum: max } as Record<string, unknown>);

const resourceFields = {
  namespace: optional(ZLabel('the namespace')),
  kind: z.enum(POD_LOG_KINDS, { error: `use one of ${POD_LOG_KINDS.join(', ')}` }).default('Pod'),
  group: z.enum(['', 'apps', 'batch'], { error: "use '' (Pod), apps or batch" }).optional(),
  resourceName: ZSubdomain('the resource name', 'give resourceName: the name of the Pod or workload'),
};

/** The group given must be the kind's (or left out). */
function groupMatchesKind(q: { kind: TPodLogKind; group?: string }, ctx: z.RefinementCtx): void {
  const want = POD_LOG_KIND_GROUP[q.kind];
  if (q.group !== undefined && q.group !== want)
    ctx.addIssue({
      code: 'custom',
      path: ['group'],
      message: `${q.kind} is in the group '${want}': leave group out or give '${want}'`,
    });
}

/** GET …/pods?namespace=&kind=&group=&resourceName= */
export const ZPodsQuery = z.strictObject(resourceFields).superRefine(groupMatchesKind);
export type TPodsQuery = z.infer<typeof ZPodsQuery>;

/** GET …/logs?namespace=&kind=&group=&resourceName=&podName=&container=&follow=&previous=&timestamps=&tailLines=&sinceSeconds= */
export const ZPodLogsQuery = z
  .strictObject({
    ...resourceFields,
    podName: optional(ZSubdomain('the pod name')),
    container: optional(ZLabel('the container name')),
    follow: ZFlag,
    previous: ZFlag,
    timestamps: ZFlag,
    tailLines: ZCount(1, MAX_TAIL_LINES).default(DEFAULT_TAIL_LINES),
    sinceSeconds: optional(ZCount(1, 10 * 365 * 24 * 3600)),
  })
  .superRefine(groupMatchesKind);
export type TPodLogsQuery = z.infer<typeof ZPodLogsQuery>;

export const CONTAINER_STATES = ['waiting', 'running', 'terminated'] as const;

export const ZPodContainer = z.object({
  name: z.string(),
  init: z.boolean(),
  restartCount: z.number(),
  state: z.enum(CONTAINER_STATES),
  reason: z.string().optional(),
});
export type TPodContainer = z.infer<typeof ZPodContainer>;

export const ZPodSummary = z.object({
  name: z.string(),
  namespace: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  startedAt: z.string().nullable(),
  defaultContainer: z.string(),
  containers: z.array(ZPodContainer),
});
export type TPodSummary = z.infer<typeof ZPodSummary>;

/** The answer of …/pods: newest first. */
export const ZPodList = z.object({ items: z.array(ZPodSummary) });
export type TPodList = z.infer<typeof ZPodList>;

/** The data of the stream's events, one per `event:` name. */
export const ZPodLogLine = z.object({
  pod: z.string(),
  container: z.string(),
  line: z.string(),
  timestamp: z.string().nullable(),
});
export const ZPodLogEnd = z.object({ reason: z.enum(['completed', 'cancelled']) });
export const ZPodLogError = z.object({ message: z.string() });

export type TPodLogEvent =
  | { event: 'log'; data: z.infer<typeof ZPodLogLine> }
  | { event: 'end'; data: z.infer<typeof ZPodLogEnd> }
  | { event: 'error'; data: z.infer<typeof ZPodLogError> };
