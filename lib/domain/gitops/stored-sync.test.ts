import { describe, expect, it } from 'vitest';
import { loadObjects } from '@/tests/fixtures/gitops/load-fixtures';
import { parseStoredPlan, parseStoredProgress } from './stored-sync';
import { planSync } from './sync-plan';

describe('stored sync plan and progress', () => {
  const plan = planSync({
    desired: loadObjects('sync/app.yaml'),
    tracked: loadObjects('sync/tracked.yaml'),
    nameSuffix: () => 'x',
  });

  it('reads back a plan and progress exactly as they were stored (jsonb round trip)', () => {
    const progress = {
      results: { a: { status: 'Synced' as const }, b: { status: 'SyncFailed' as const, message: 'no' } },
      health: { k: { status: 'Progressing' as const, message: 'rolling out' } },
      deleting: ['k'],
      terminate: true,
    };
    const stored = JSON.parse(JSON.stringify({ plan, progress }));
    expect(parseStoredPlan(stored.plan)).toEqual(plan);
    expect(parseStoredProgress(stored.progress)).toEqual(progress);
  });

  it('treats no plan as null and no progress as an empty one', () => {
    expect(parseStoredPlan(null)).toBeNull();
    expect(parseStoredProgress(null)).toEqual({ results: {}, health: {} });
  });

  it.each([
    ['a plan whose task has no object', () => parseStoredPlan({ steps: [{ phase: 'Sync', wave: 0, tasks: [{}] }] })],
    [
      'a plan with an unknown phase',
      () => parseStoredPlan({ steps: [{ phase: 'Later', wave: 0, tasks: [] }], syncFail: [] }),
    ],
    ['progress with an unknown result', () => parseStoredProgress({ results: { a: { status: 'Done' } }, health: {} })],
    ['progress with an unknown health', () => parseStoredProgress({ results: {}, health: { a: { status: 'Fine' } } })],
  ])('refuses %s', (_what, read) => {
    expect(read).toThrow();
  });
});
