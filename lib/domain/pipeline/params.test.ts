import { describe, expect, it } from 'vitest';
import type { TParamSpec } from './param-schemas';
import { applyParamDefaults, checkParams, providedParams } from './params';

const declared: TParamSpec[] = [
  { name: 'url' },
  { name: 'revision', default: 'main' },
  { name: 'flags', type: 'array', default: [] },
  { name: 'env', enum: ['dev', 'prod'], default: 'dev' },
  { name: 'repo', type: 'object', properties: { url: {}, branch: {} }, default: { branch: 'main' } },
];
const ctx = { path: 'spec.params', provider: 'the PipelineRun' };

describe('checkParams', () => {
  it.each([
    ['all good', [{ name: 'url', value: 'u' }], []],
    ['missing required', [], ['ParameterMissing spec.params param "url" has no default']],
    [
      'array for string',
      [{ name: 'url', value: ['a'] }],
      [
        'ParameterTypeMismatch spec.params[0].value param "url" is declared as string but the PipelineRun gives an array',
      ],
    ],
    [
      'string for array',
      [
        { name: 'url', value: 'u' },
        { name: 'flags', value: 'x' },
      ],
      ['ParameterTypeMismatch spec.params[1].value param "flags" is declared as array'],
    ],
    [
      'enum violation',
      [
        { name: 'url', value: 'u' },
        { name: 'env', value: 'staging' },
      ],
      ['InvalidParamValue spec.params[1].value param "env" is "staging", which is not one of "dev", "prod"'],
    ],
    [
      'enum with a reference is checked later',
      [
        { name: 'url', value: 'u' },
        { name: 'env', value: '$(params.e)' },
      ],
      [],
    ],
    [
      'object missing a key',
      [
        { name: 'url', value: 'u' },
        { name: 'repo', value: { branch: 'x' } },
      ],
      ['ObjectParameterMissKeys spec.params[1].value object param "repo" is missing key url'],
    ],
  ] as const)('%s', (_label, given, expected) => {
    const errors = checkParams(declared, providedParams(given as never, 'spec.params'), ctx);
    expect(
      errors.map((e) => `${e.reason} ${e.path} ${e.message}`).map((m, i) => m.slice(0, expected[i]?.length)),
    ).toEqual(expected);
    for (const e of errors) expect(e.hint).toMatch(/\.$/);
  });

  it('names the task', () => {
    const [error] = checkParams([{ name: 'x' }], new Map(), {
      task: 'build',
      path: 'spec.tasks[0].params',
      provider: 'pipeline task "build"',
    });
    expect(error).toMatchObject({
      task: 'build',
      message: 'param "x" of task "build" has no default and pipeline task "build" does not provide it',
    });
  });

  it('uses the known type of a reference', () => {
    const provided = new Map([['url', { value: '$(params.list[*])', path: 'p', type: 'array' as const }]]);
    expect(checkParams(declared, provided, ctx)[0].reason).toBe('ParameterTypeMismatch');
  });
});

describe('applyParamDefaults', () => {
  it('fills defaults, keeps extras and merges object defaults', () => {
    expect(applyParamDefaults(declared, { url: 'u', repo: { url: 'r' }, extra: 'e' })).toEqual({
      url: 'u',
      revision: 'main',
      flags: [],
      env: 'dev',
      repo: { branch: 'main', url: 'r' },
      extra: 'e',
    });
  });
});
