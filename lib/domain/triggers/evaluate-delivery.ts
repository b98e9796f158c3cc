import { z } from 'zod';
import type { TTriggerSpec } from './trigger-schema';

export interface Delivery {
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  body: unknown;
}

export type DeliveryVerdict =
  | { kind: 'start'; params: { name: string; value: string | string[] }[]; event: string; branch?: string }
  | { kind: 'filtered'; reason: string; event: string; branch?: string };

/** The event name as each provider sends it: `push`, `pull_request`, `Push Hook`… */
export function eventOf(provider: TTriggerSpec['provider'], headers: Readonly<Record<string, string>>): string {
  return provider === 'github' ? (headers['x-github-event'] ?? '') : (headers['x-gitlab-event'] ?? '');
}

/** GitHub and GitLab push payloads name the branch in `ref` as `refs/heads/<branch>`. */
const ZPushRef = z.object({ ref: z.string() });

export function branchOf(body: unknown): string | undefined {
  const ref = ZPushRef.safeParse(body).data?.ref;
  return ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';

function walk(value: unknown, path: string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (isObject(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

const REF = /\$\((body|header)(?:\.([^)]*))?\)/g;

/** Replaces `$(body.a.b)`, `$(body)` and `$(header.X-Name)` with values from the delivery. */
export function expand(template: string, delivery: Delivery): string {
  return template.replace(REF, (_m, source: string, rest: string | undefined) => {
    if (source === 'header') return delivery.headers[(rest ?? '').toLowerCase()] ?? '';
    const value = rest ? walk(delivery.body, rest.split('.')) : delivery.body;
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Decides what a verified delivery does: start a run with these params, or nothing, and why. */
export function evaluateDelivery(spec: TTriggerSpec, delivery: Delivery): DeliveryVerdict {
  const event = eventOf(spec.provider, delivery.headers);
  const branch = branchOf(delivery.body);
  const events = spec.filter?.events;
  if (events && !events.includes(event))
    return { kind: 'filtered', reason: `event "${event}" is not one of ${events.join(', ')}`, event, branch };
  const branches = spec.filter?.branches;
  if (branches && (!branch || !branches.includes(branch))) {
    return {
      kind: 'filtered',
      reason: `branch "${branch ?? '(none)'}" is not one of ${branches.join(', ')}`,
      event,
      branch,
    };
  }
  const params = (spec.params ?? []).map((p) => ({
    name: p.name,
    value: Array.isArray(p.value) ? p.value.map((v) => expand(v, delivery)) : expand(p.value, delivery),
  }));
  return { kind: 'start', params, event, branch };
}
