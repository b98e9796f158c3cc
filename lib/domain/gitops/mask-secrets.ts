import type { KubeObject } from './k8s-object';

/**
 * Argo CD's Secret masking for diffs: every value of `data`/`stringData` becomes plus signs, the
 * same count on both sides when equal and a different count when not, so a diff still shows WHICH
 * keys changed without showing any value.
 */
const SAME = '++++++++';
const LIVE_CHANGED = '++++++++';
const DESIRED_CHANGED = '+++++++++';

type Data = Record<string, unknown>;

const asData = (value: unknown): Data => (typeof value === 'object' && value !== null ? { ...value } : {});

function dataOf(obj: KubeObject | undefined): Data {
  if (!obj) return {};
  const data = asData(obj.data);
  const stringData = asData(obj.stringData);
  const merged: Data = { ...data };
  // stringData wins over data on the API server; compare it base64-encoded as the server would store it.
  for (const [k, v] of Object.entries(stringData))
    merged[k] = typeof v === 'string' ? Buffer.from(v).toString('base64') : v;
  return merged;
}

function masked(obj: KubeObject, values: Data): KubeObject {
  const { stringData: _dropped, ...rest } = obj;
  return Object.keys(values).length > 0 ? { ...rest, data: values } : { ...rest };
}

function isSecret(obj: KubeObject | undefined): boolean {
  return obj !== undefined && obj.kind === 'Secret' && (obj.apiVersion === 'v1' || obj.apiVersion === '/v1');
}

/** Masks a live/desired pair of Secrets; any other kind is returned unchanged. Each side given is returned. */
export function maskSecretPair(live: KubeObject, desired: KubeObject): { live: KubeObject; desired: KubeObject };
export function maskSecretPair(live: KubeObject, desired: undefined): { live: KubeObject; desired?: undefined };
export function maskSecretPair(live: undefined, desired: KubeObject): { live?: undefined; desired: KubeObject };
export function maskSecretPair(
  live: KubeObject | undefined,
  desired: KubeObject | undefined,
): { live?: KubeObject; desired?: KubeObject };
export function maskSecretPair(
  live: KubeObject | undefined,
  desired: KubeObject | undefined,
): { live?: KubeObject; desired?: KubeObject } {
  if (!isSecret(live) && !isSecret(desired)) return { live, desired };
  const l = dataOf(live);
  const d = dataOf(desired);
  const liveOut: Data = {};
  const desiredOut: Data = {};
  for (const k of new Set([...Object.keys(l), ...Object.keys(d)])) {
    const same = k in l && k in d && l[k] === d[k];
    if (k in l) liveOut[k] = same ? SAME : LIVE_CHANGED;
    if (k in d) desiredOut[k] = same ? SAME : DESIRED_CHANGED;
  }
  return { live: live && masked(live, liveOut), desired: desired && masked(desired, desiredOut) };
}
