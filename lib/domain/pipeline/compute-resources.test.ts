import { describe, expect, it } from 'vitest';
import { applyTaskLevelResources, mergeResources, normaliseResources } from './compute-resources';
import { divideQuantity, formatQuantity, parseQuantity } from './k8s-quantity';

describe('quantities', () => {
  it.each([
    ['2', 2, '1'],
    ['500m', 2, '250m'],
    ['1', 2, '500m'],
    ['2Gi', 2, '1Gi'],
    ['1Gi', 4, '256Mi'],
    ['1.5', 2, '750m'],
    ['3', 2, '1500m'],
    ['100Mi', 3, '34952533333m'],
    ['1e3', 2, '500'],
    ['4k', 2, '2k'],
  ])('%s divided by %i is %s', (q, n, want) => {
    expect(divideQuantity(q, n)).toBe(want);
  });

  it('writes quantities in Kubernetes canonical form', () => {
    expect(formatQuantity(parseQuantity('2000')!)).toBe('2k');
    expect(formatQuantity(parseQuantity('0.5')!)).toBe('500m');
    expect(formatQuantity(parseQuantity('1024Mi')!)).toBe('1Gi');
    expect(formatQuantity(parseQuantity('512')!)).toBe('512');
  });

  it('leaves text that is no quantity as it is', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(divideQuantity('lots', 2)).toBe('lots');
  });
});

describe('resources', () => {
  it('stringifies numbers from YAML and drops empty lists', () => {
    expect(normaliseResources({ limits: { cpu: 1, memory: '1Gi' }, requests: {} })).toEqual({
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(normaliseResources({})).toBeUndefined();
  });

  it('merges stepSpecs over a step per resource name (upstream MergeStepsWithSpecs)', () => {
    const step = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m' } };
    expect(mergeResources(step, { limits: { memory: '2Gi' } })).toEqual({
      limits: { cpu: '1', memory: '2Gi' },
      requests: { cpu: '100m' },
    });
    expect(mergeResources(undefined, { requests: { cpu: '1' } })).toEqual({ requests: { cpu: '1' } });
  });

  // Fixtures of upstream's TestApplyTaskLevelResourceRequirements (pkg/internal/computeresources/tasklevel).
  const two = [undefined, undefined];
  it.each([
    ['only with requests', two, { requests: { cpu: '2' } }, [{ requests: { cpu: '1' } }, { requests: { cpu: '1' } }]],
    [
      'only with limits',
      two,
      { limits: { cpu: '500m' } },
      [
        { limits: { cpu: '500m' }, requests: { cpu: '250m' } },
        { limits: { cpu: '500m' }, requests: { cpu: '250m' } },
      ],
    ],
    [
      'both with requests and limits',
      two,
      { requests: { cpu: '1' }, limits: { cpu: '2' } },
      [
        { limits: { cpu: '2' }, requests: { cpu: '500m' } },
        { limits: { cpu: '2' }, requests: { cpu: '500m' } },
      ],
    ],
    [
      'steps with partial compute resources are overridden by task-level compute resources',
      [{ requests: { cpu: '100m' }, limits: { cpu: '1' } }, undefined],
      { requests: { cpu: '1' }, limits: { cpu: '2' } },
      [
        { limits: { cpu: '2' }, requests: { cpu: '500m' } },
        { limits: { cpu: '2' }, requests: { cpu: '500m' } },
      ],
    ],
    [
      'steps with compute resources are preserved, if there are no task-level compute resources',
      [
        { requests: { cpu: '100m' }, limits: { cpu: '1' } },
        { requests: { cpu: '200m' }, limits: { cpu: '1' } },
      ],
      {},
      [
        { requests: { cpu: '100m' }, limits: { cpu: '1' } },
        { requests: { cpu: '200m' }, limits: { cpu: '1' } },
      ],
    ],
  ])('task level: %s', (_, steps, task, want) => {
    expect(applyTaskLevelResources(steps, task)).toEqual(want);
  });

  it("task level limits alone replace a step's own requests (no requests at all, as upstream)", () => {
    expect(applyTaskLevelResources([{ requests: { cpu: '100m' } }], { limits: { cpu: '1' } })).toEqual([
      { limits: { cpu: '1' } },
    ]);
  });
});
