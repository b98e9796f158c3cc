import { expect, it } from 'vitest';
import type { TApplication } from '../../lib/schemas/applications';
import { waitReached } from './app-wait';

const app = (sync: string, health: string, extra: Partial<TApplication['status']> = {}) =>
  ({
    status: {
      sync: { status: sync },
      health: { status: health },
      resources: [],
      conditions: [],
      history: [],
      ...extra,
    },
  }) as unknown as TApplication;
const running = { operationState: { finishedAt: undefined } } as unknown as Partial<TApplication['status']>;

it('waits for sync, health and no running operation by default', () => {
  expect(waitReached(app('Synced', 'Healthy'), {})).toBe(true);
  expect(waitReached(app('OutOfSync', 'Healthy'), {})).toBe(false);
  expect(waitReached(app('Synced', 'Progressing'), {})).toBe(false);
  expect(waitReached(app('Synced', 'Healthy', running), {})).toBe(false);
});

it('waits only for what the flags name, and never on a stale status', () => {
  expect(waitReached(app('OutOfSync', 'Healthy'), { health: true })).toBe(true);
  expect(waitReached(app('Synced', 'Degraded'), { sync: true })).toBe(true);
  expect(waitReached(app('OutOfSync', 'Degraded'), { operation: true })).toBe(true);
  expect(waitReached(app('OutOfSync', 'Degraded', running), { operation: true })).toBe(false);
  expect(waitReached(app('Synced', 'Healthy', { refreshRequested: 'normal' }), { sync: true })).toBe(false);
  expect(waitReached(app('Synced', 'Healthy', { refreshRequested: 'normal' }), { operation: true })).toBe(true);
});
