import { z } from 'zod';
import { HEALTH_STATUSES, type HealthStatusCode } from '../health-statuses';
import type { KubeObject } from '../k8s-object';

export { HEALTH_STATUSES, type HealthStatusCode };

export interface HealthStatus {
  status: HealthStatusCode;
  message?: string;
}

/** Position in Argo CD's order, best (0) to worst. */
export function healthSeverity(status: HealthStatusCode): number {
  return HEALTH_STATUSES.indexOf(status);
}

export function isWorse(current: HealthStatusCode, candidate: HealthStatusCode): boolean {
  return healthSeverity(candidate) > healthSeverity(current);
}

export const ZCondition = z.looseObject({
  type: z.string(),
  status: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type Condition = z.infer<typeof ZCondition>;

export function findCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** `metadata.generation` as a health rule reads it (0 when the server has not set it). */
export const ZGenerationMeta = z.looseObject({ name: z.string().optional(), generation: z.number().optional() });

/**
 * Reads the typed view a rule needs. A live object that does not fit it gives Unknown with the
 * reason, as gitops-engine does when converting to the typed object fails.
 */
export function readAs<T>(schema: z.ZodType<T>, obj: KubeObject, rule: (typed: T) => HealthStatus): HealthStatus {
  const parsed = schema.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'Unknown', message: `failed to read ${obj.kind}: ${issue.path.join('.')}: ${issue.message}` };
  }
  return rule(parsed.data);
}

export const int = z.number().int();
