import { isWorse, type HealthStatusCode } from './types';

export interface HealthEntry {
  status: HealthStatusCode;
  /** Hooks are left out of the app's health. */
  hook?: boolean;
}

/**
 * The app's health: the worst of its resources (Healthy < Suspended < Progressing < Missing <
 * Degraded < Unknown), hooks excluded. Missing counts only when none of the resources exist, so
 * one not-yet-created object does not hide the health of the rest (SEMANTICS.md); sync status
 * reports it as OutOfSync. An app without resources is Healthy, as in Argo CD.
 */
export function aggregateHealth(resources: readonly HealthEntry[]): HealthStatusCode {
  const counted = resources.filter((r) => !r.hook);
  const present = counted.filter((r) => r.status !== 'Missing');
  if (counted.length > 0 && present.length === 0) return 'Missing';
  let worst: HealthStatusCode = 'Healthy';
  for (const r of present) if (isWorse(worst, r.status)) worst = r.status;
  return worst;
}
