/**
 * imagePullSecrets as the API returns them, turned into DockerConfigJson for image config lookups:
 * `kubernetes.io/dockerconfigjson` (`.dockerconfigjson`: {"auths": {...}}) and the legacy
 * `kubernetes.io/dockercfg` (`.dockercfg`: the auths map itself). Anything else, or malformed: null.
 */
import type { DockerConfigJson } from './registry-auth';

const MAX_BYTES = 1024 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function decodeJson(base64: string | undefined): unknown {
  if (!base64 || base64.length > (MAX_BYTES * 4) / 3 + 4) return null;
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return null;
  }
}

/** The registry credentials of a Secret (`data` base64-encoded, as the API returns it), or null. */
export function pullSecretConfig(secret: { type?: string; data?: Record<string, string> }): DockerConfigJson | null {
  const data = secret.data ?? {};
  if (secret.type === 'kubernetes.io/dockercfg' || (!secret.type && '.dockercfg' in data)) {
    const auths = decodeJson(data['.dockercfg']);
    return isRecord(auths) ? ({ auths } as DockerConfigJson) : null;
  }
  const config = decodeJson(data['.dockerconfigjson']);
  return isRecord(config) && isRecord(config.auths) ? (config as DockerConfigJson) : null;
}
