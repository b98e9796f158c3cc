import { describe, expect, it } from 'vitest';
import { APP_HEALTH, SYNC_STATUSES as SCHEMA_SYNC } from '@/lib/schemas/applications';
import type { StateMachine } from '../state-machine';
import { HEALTH_STATUSES as RULES_HEALTH } from './health/types';
import { HEALTH_STATUSES, HealthStatuses } from './health-statuses';
import { SYNC_STATUSES, SyncStatuses } from './sync-statuses';

describe('sync and health statuses', () => {
  it('are one list each, which the API schemas and the health rules use', () => {
    expect(SCHEMA_SYNC).toBe(SYNC_STATUSES);
    expect(APP_HEALTH).toBe(HEALTH_STATUSES);
    expect(RULES_HEALTH).toBe(HEALTH_STATUSES);
  });

  it('keep Argo CD health order, best to worst', () => {
    expect(HEALTH_STATUSES).toEqual(['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown']);
    expect(SYNC_STATUSES).toEqual(['Synced', 'OutOfSync', 'Unknown']);
  });

  it('are observations: any status may follow any status, and none is terminal', () => {
    const observation = <S extends string>(m: StateMachine<S>) => {
      for (const to of m.states) expect(m.predecessors(to)).toEqual(m.states);
      expect(m.states.some(m.isTerminal)).toBe(false);
    };
    observation(SyncStatuses);
    observation(HealthStatuses);
    expect(SyncStatuses.canTransition('Synced', 'OutOfSync')).toBe(true);
    expect(HealthStatuses.canTransition('Degraded', 'Healthy')).toBe(true);
  });
});
