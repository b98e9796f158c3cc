import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { readAs, ZCondition, type HealthStatus } from './types';

const ZJob = z.looseObject({ status: z.looseObject({ conditions: z.array(ZCondition).optional() }).optional() });

/**
 * gitops-engine `getBatchv1JobHealth`: Failed → Degraded, Suspended → Suspended, Complete → Healthy,
 * else Progressing. One deliberate difference: upstream treats any `Suspended` condition as the end of
 * the Job, so a resumed Job (Suspended=False, still running) reads Healthy there; here it stays
 * Progressing until Complete or Failed. Terminal conditions count only when True.
 */
export function jobHealth(obj: KubeObject): HealthStatus {
  return readAs(ZJob, obj, (job) => {
    const conditions = (job.status?.conditions ?? []).filter((c) => c.status === undefined || c.status === 'True');
    const failed = conditions.find((c) => c.type === 'Failed');
    if (failed) return { status: 'Degraded', message: failed.message ?? '' };
    const suspended = conditions.find((c) => c.type === 'Suspended');
    if (suspended) return { status: 'Suspended', message: suspended.message ?? 'Job is suspended' };
    const complete = conditions.find((c) => c.type === 'Complete');
    if (complete) return { status: 'Healthy', message: complete.message ?? '' };
    return { status: 'Progressing', message: '' };
  });
}
