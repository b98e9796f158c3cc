import { anyToAny, stateMachine } from '../state-machine';

/**
 * `applications.health_status` and a resource's health (Argo CD's HealthStatusCode). The one list, in
 * Argo CD's order from best to worst, which aggregation relies on.
 */
export const HEALTH_STATUSES = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'] as const;
export type HealthStatusCode = (typeof HEALTH_STATUSES)[number];

/** An observation, not a lifecycle: every assessment may report any health, whatever the last one was. */
export const HealthStatuses = stateMachine('HealthStatus', HEALTH_STATUSES, anyToAny(HEALTH_STATUSES));
