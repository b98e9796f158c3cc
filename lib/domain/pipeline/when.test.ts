import { describe, expect, it } from 'vitest';
import type { TWhenExpression } from './param-schemas';
import { paramScope } from './substitute';
import { evaluateWhen } from './when';

const scope = {
  ...paramScope({ branch: 'main', allowed: ['main', 'release'], env: 'prod' }),
  'tasks.test.results.ok': 'true',
  'tasks.status': 'Failed',
};

describe('evaluateWhen', () => {
  it.each<[string, TWhenExpression[], boolean]>([
    ['no expressions', [], true],
    ['in matches', [{ input: '$(params.branch)', operator: 'in', values: ['main'] }], true],
    ['in misses', [{ input: '$(params.branch)', operator: 'in', values: ['dev'] }], false],
    ['notin misses', [{ input: '$(params.env)', operator: 'notin', values: ['dev', 'qa'] }], true],
    ['notin matches', [{ input: '$(params.env)', operator: 'notin', values: ['prod'] }], false],
    ['array values expand', [{ input: '$(params.branch)', operator: 'in', values: ['$(params.allowed[*])'] }], true],
    ['result input', [{ input: '$(tasks.test.results.ok)', operator: 'in', values: ['true'] }], true],
    ['aggregate status in finally', [{ input: '$(tasks.status)', operator: 'in', values: ['Failed'] }], true],
    [
      'all must hold',
      [
        { input: '$(params.branch)', operator: 'in', values: ['main'] },
        { input: '$(params.env)', operator: 'in', values: ['dev'] },
      ],
      false,
    ],
    ['values are substituted too', [{ input: 'main', operator: 'in', values: ['$(params.branch)'] }], true],
  ])('%s', (_label, when, pass) => {
    expect(evaluateWhen(when, scope).pass).toBe(pass);
  });

  it('returns the substituted expressions', () => {
    expect(
      evaluateWhen([{ input: '$(params.branch)', operator: 'in', values: ['$(params.allowed[*])'] }], scope).resolved,
    ).toEqual([{ input: 'main', operator: 'in', values: ['main', 'release'] }]);
  });
});
