import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { readAs, type HealthStatus } from './types';

const ZCronJob = z.looseObject({
  spec: z.looseObject({ suspend: z.boolean().optional() }).optional(),
  status: z
    .looseObject({
      lastScheduleTime: z.string().optional(),
      lastSuccessfulTime: z.string().optional(),
      active: z.array(z.unknown()).optional(),
    })
    .optional(),
});

/**
 * Argo CD `resource_customizations/batch/CronJob/health.lua`: the last run failed when nothing is
 * active and the last success is older than the last schedule. Without a status yet → Progressing.
 */
export function cronJobHealth(obj: KubeObject): HealthStatus {
  return readAs(ZCronJob, obj, (cj) => {
    if (cj.spec?.suspend === true) return { status: 'Suspended', message: 'CronJob is Suspended' };
    const status = cj.status;
    if (!status) return { status: 'Progressing', message: 'Waiting for CronJob' };
    if (!status.lastScheduleTime) return { status: 'Healthy', message: 'CronJob has not been scheduled yet' };
    if (!status.lastSuccessfulTime) {
      return { status: 'Healthy', message: 'The CronJob never completed successfully. It may not be healthy' };
    }
    if ((status.active ?? []).length > 0) {
      return { status: 'Healthy', message: 'The job is running. Its last execution may not have been successful' };
    }
    // RFC 3339 UTC timestamps from the API server compare correctly as instants.
    if (Date.parse(status.lastSuccessfulTime) < Date.parse(status.lastScheduleTime)) {
      return { status: 'Degraded', message: 'CronJob has not completed its last execution successfully' };
    }
    return { status: 'Healthy', message: 'CronJob has completed its last execution successfully' };
  });
}
