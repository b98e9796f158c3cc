import { describe, expect, it } from 'vitest';
import { generationPending, rolloutStatus } from './rollout';
import { int } from './types';

describe('rollout helpers', () => {
  it.each([
    [2, 1, { status: 'Progressing', message: expect.stringContaining('observed deployment generation less') }],
    [2, 2, undefined],
    [undefined, undefined, undefined],
    [1, undefined, { status: 'Progressing', message: expect.any(String) }],
  ])('generation %s observed %s → %j', (generation, observed, expected) => {
    expect(generationPending(generation, observed, 'deployment')).toEqual(expected);
  });

  it('reads observedGeneration beside the kind’s own fields, and accepts no status at all', () => {
    const schema = rolloutStatus({ replicas: int.optional() });
    expect(schema.parse({ observedGeneration: 3, replicas: 2, extra: true })).toEqual({
      observedGeneration: 3,
      replicas: 2,
      extra: true,
    });
    expect(schema.parse(undefined)).toBeUndefined();
  });
});
