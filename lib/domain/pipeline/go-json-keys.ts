import { z } from 'zod';

/**
 * A strict object whose keys also match in another case, as Go's encoding/json matches JSON keys to
 * struct fields (upstream Tekton decodes `mountpath` into WorkspaceUsage.MountPath; its own
 * isolated-workspaces example is written so). An exact key wins; a key that matches no field in any
 * case stays unknown and is refused with its path.
 */
export function goJsonObject<S extends z.ZodRawShape>(shape: S) {
  const byLower = new Map(Object.keys(shape).map((k) => [k.toLowerCase(), k]));
  return z.preprocess((value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const given = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(given)) {
      const field = byLower.get(key.toLowerCase());
      out[field !== undefined && !(field in given) ? field : key] = v;
    }
    return out;
  }, z.strictObject(shape));
}
