import { describe, expect, it } from 'vitest';
import { ZParamSpec, type TParamSpec } from './param-schemas';
import { MAX_RESOLVED_DEFAULT_LENGTH, resolvePipelineParams } from './pipeline-param-defaults';
import { substitutedLength, substituteString } from './substitute';

const specs = (list: unknown[]): TParamSpec[] => list.map((p) => ZParamSpec.parse(p));

/** p0 of 100 characters, then p1…p<depth>, each repeating the one before `times` times. */
function doubling(depth: number, times: number): TParamSpec[] {
  const list: unknown[] = [{ name: 'p0', default: 'x'.repeat(100) }];
  for (let i = 1; i <= depth; i++) list.push({ name: `p${i}`, default: `$(params.p${i - 1})`.repeat(times) });
  return specs(list);
}

describe('pipeline param defaults that grow with each level', () => {
  it('resolves defaults up to the length limit', () => {
    // 100 × 8^3 = 51 200 characters.
    const { values, problems } = resolvePipelineParams(doubling(3, 8), {});
    expect(problems).toEqual([]);
    expect(values.p3).toBe('x'.repeat(51_200));
  });

  it.each([4, 6, 10])(
    'refuses %i levels of 8 repeats at the first default that outgrows it, without building it',
    (depth) => {
      const { values, problems } = resolvePipelineParams(doubling(depth, 8), {});
      expect(problems).toEqual([
        {
          index: 4,
          message: `parameter resolution failed: the default of param "p4" would be 409600 characters long once the params it uses are put in; at most ${MAX_RESOLVED_DEFAULT_LENGTH} are allowed`,
          tooLong: true,
        },
      ]);
      expect(values.p4).toBe('$(params.p3)'.repeat(8));
    },
  );

  it('refuses an array default whose elements together outgrow it', () => {
    const declared = specs([
      { name: 'big', default: 'y'.repeat(40_000) },
      { name: 'list', type: 'array', default: ['$(params.big)', '$(params.big)'] },
    ]);
    const { values, problems } = resolvePipelineParams(declared, {});
    expect(problems).toEqual([expect.objectContaining({ index: 1, tooLong: true })]);
    expect(values.list).toEqual(['$(params.big)', '$(params.big)']);
  });

  it('does not count values the run gives (they are taken as they are)', () => {
    const declared = specs([{ name: 'a' }, { name: 'b', default: '$(params.a)$(params.a)' }]);
    expect(resolvePipelineParams(declared, { a: 'z'.repeat(30_000) }).problems).toEqual([]);
    expect(resolvePipelineParams(declared, { a: 'z'.repeat(40_000) }).problems).toHaveLength(1);
  });
});

describe('substitutedLength', () => {
  it.each<[string, Record<string, string | string[]>]>([
    ['$(params.a)-$(params.b)', { 'params.a': 'one', 'params.b': 'three' }],
    ['$(params.a) $(params.unknown) $(not a ref)', { 'params.a': '' }],
    ['$(params.list) and $(params.list[1])', { 'params.list': ['x', 'yy'] }],
  ])('is the length substituteString gives for %s', (text, scope) => {
    expect(substitutedLength(text, scope)).toBe(substituteString(text, scope).length);
  });
});
