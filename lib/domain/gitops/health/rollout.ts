import { z } from 'zod';
import { int, type HealthStatus } from './types';

/** A workload's status: observedGeneration plus the kind's own counters, all optional (a new object has none). */
export function rolloutStatus<T extends z.ZodRawShape>(fields: T) {
  return z.looseObject({ observedGeneration: int.optional(), ...fields }).optional();
}

export const progressing = (message: string): HealthStatus => ({ status: 'Progressing', message });

/** kubectl's first rollout check: the controller has not yet seen the latest spec (`what`: "deployment", …). */
export function generationPending(
  generation: number | undefined,
  observedGeneration: number | undefined,
  what: string,
): HealthStatus | undefined {
  if ((generation ?? 0) <= (observedGeneration ?? 0)) return undefined;
  return progressing(`Waiting for rollout to finish: observed ${what} generation less than desired generation`);
}
