/** Pure translation of Argo CD source options into helm flags and kustomize overlay fields. */
import type { HelmParameter } from './types';

export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Splits `repo/name[:tag][@digest]`; a `:` before the last `/` is a registry port. */
function splitImage(ref: string): { name: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/**
 * `kustomize edit set image` syntax: `nginx:1.25` (retag), `nginx=registry/nginx:1.25`
 * (rename and retag), `app=app@sha256:…` (pin a digest).
 */
export function parseKustomizeImage(spec: string): KustomizeImage {
  const eq = spec.indexOf('=');
  const target = splitImage(eq >= 0 ? spec.slice(eq + 1) : spec);
  const image: KustomizeImage = { name: eq >= 0 ? spec.slice(0, eq) : target.name };
  if (eq >= 0 && target.name && target.name !== image.name) image.newName = target.name;
  if (target.tag) image.newTag = target.tag;
  if (target.digest) image.digest = target.digest;
  return image;
}

/** Escapes unescaped commas, as Argo CD does, unless the value is a `{a,b}` helm list. */
export function escapeHelmSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  return value.replace(/(^|[^\\]),/g, '$1\\,').replace(/(^|[^\\]),/g, '$1\\,');
}

export function helmSetFlags(parameters: readonly HelmParameter[]): string[] {
  return parameters.flatMap((p) => [
    p.forceString ? '--set-string' : '--set',
    `${p.name}=${escapeHelmSetValue(p.value)}`,
  ]);
}
