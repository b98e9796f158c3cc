/**
 * The per-TaskRun Secret: every secret value a pod needs (env from a Secret, files of secret, configMap and
 * projected volumes and workspaces) goes into it, and the pod spec only names its keys, so no value ever
 * appears in the pod spec (which anyone who may list pods can read).
 */
import type { SecretKeyRef, VolumeFilePlan } from '../task-run-plan';
import { boundedName } from './pod-paths';
import type { EnvVar } from './pod-types';

/** Secret values by Secret name and key: what the worker loaded for the run (hydratePlan's input). */
export type SecretValues = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface RunSecret {
  name: string;
  /** Text values. */
  stringData: Record<string, string>;
  /** Bytes (a ConfigMap's binaryData), base64 as the Secret's `data` holds them. */
  data: Record<string, string>;
}

export class RunSecretBuilder {
  readonly secret: RunSecret;
  private readonly used = new Set<string>();

  constructor(
    name: string,
    private readonly values: SecretValues | undefined,
    private readonly problems: string[],
  ) {
    this.secret = { name, stringData: {}, data: {} };
  }

  /** Stores a value under a fresh key made from `hint` and returns the key. */
  putText(hint: string, value: string): string {
    const key = this.freshKey(hint);
    this.secret.stringData[key] = value;
    return key;
  }

  /** A Secret key's value, or undefined when the worker did not load it. */
  lookup(ref: SecretKeyRef): string | undefined {
    return this.values?.[ref.secret]?.[ref.key];
  }

  /** A Secret key's value, or undefined (and a problem naming `at`) when the worker did not load it. */
  resolve(ref: SecretKeyRef, at: string): string | undefined {
    const value = this.values?.[ref.secret]?.[ref.key];
    if (value === undefined) {
      this.problems.push(
        `${at}: Secret "${ref.secret}" has no key "${ref.key}" (deleted after the TaskRun was created?). Apply the Secret again and rerun.`,
      );
    }
    return value;
  }

  /** Stores one file of a `files` volume or workspace; returns its key, or undefined when its value is missing. */
  putFile(hint: string, file: VolumeFilePlan, at: string): string | undefined {
    if (file.base64 !== undefined) {
      const key = this.freshKey(hint);
      this.secret.data[key] = file.base64;
      return key;
    }
    const value = file.value ?? (file.secret ? this.resolve(file.secret, at) : '');
    return value === undefined ? undefined : this.putText(hint, value);
  }

  private freshKey(hint: string): string {
    const base = boundedName(hint.replace(/[^-._a-zA-Z0-9]/g, '_'), 240);
    let key = base;
    for (let n = 2; this.used.has(key); n++) key = `${base}.${n}`;
    this.used.add(key);
    return key;
  }
}

/**
 * An env entry as the pod gets it: a secret value (one of `masked`, or `valueFrom.secretKeyRef` naming a
 * Keelson Secret) through the run Secret, anything else as written. An optional key that is missing drops the
 * entry; a required one is a problem.
 */
export function envThroughRunSecret(
  e: EnvVar,
  hint: string,
  at: string,
  secret: RunSecretBuilder,
  masked: ReadonlySet<string>,
): EnvVar[] {
  const toRunSecret = (value: string): EnvVar => ({
    name: e.name,
    valueFrom: { secretKeyRef: { name: secret.secret.name, key: secret.putText(hint, value) } },
  });
  if (e.value !== undefined) return [masked.has(e.value) ? toRunSecret(e.value) : e];
  const ref = e.valueFrom?.secretKeyRef as { name?: string; key?: string; optional?: boolean } | undefined;
  if (!ref || ref.name === undefined || ref.key === undefined) return [e];
  const value = ref.optional
    ? secret.lookup({ secret: ref.name, key: ref.key })
    : secret.resolve({ secret: ref.name, key: ref.key }, `${at} ${e.name}`);
  return value === undefined ? [] : [toRunSecret(value)];
}
