import { describe, expect, it } from 'vitest';
import {
  childTaskRunName,
  countCombinations,
  gatherMatrixResults,
  matrixCombinations,
  type ResolvedMatrix,
} from './matrix';

const platformBrowser: ResolvedMatrix['params'] = [
  { name: 'platform', value: ['linux', 'mac'] },
  { name: 'browser', value: ['safari', 'chrome'] },
];

describe('matrixCombinations', () => {
  it.each<[string, ResolvedMatrix, Record<string, string>[]]>([
    ['one param', { params: [{ name: 'os', value: ['a', 'b', 'c'] }] }, [{ os: 'a' }, { os: 'b' }, { os: 'c' }]],
    [
      'product, value-major as Tekton distributes',
      { params: platformBrowser },
      [
        { platform: 'linux', browser: 'safari' },
        { platform: 'mac', browser: 'safari' },
        { platform: 'linux', browser: 'chrome' },
        { platform: 'mac', browser: 'chrome' },
      ],
    ],
    [
      // tektoncd/pipeline docs/matrix.md "Matrix Combinations with Matrix.Params and Matrix.Include"
      'include adds to matches and creates new combinations',
      {
        params: platformBrowser,
        include: [
          {
            name: 'linux-url',
            params: [
              { name: 'platform', value: 'linux' },
              { name: 'url', value: 'some-url' },
            ],
          },
          { name: 'non-existent-browser', params: [{ name: 'browser', value: 'untested' }] },
        ],
      },
      [
        { platform: 'linux', browser: 'safari', url: 'some-url' },
        { platform: 'mac', browser: 'safari' },
        { platform: 'linux', browser: 'chrome', url: 'some-url' },
        { platform: 'mac', browser: 'chrome' },
        { browser: 'untested' },
      ],
    ],
    [
      'include with only new params goes into every combination',
      { params: [{ name: 'os', value: ['a', 'b'] }], include: [{ params: [{ name: 'extra', value: 'x' }] }] },
      [
        { os: 'a', extra: 'x' },
        { os: 'b', extra: 'x' },
      ],
    ],
    [
      'include only',
      {
        include: [
          {
            name: 's390x',
            params: [
              { name: 'GOARCH', value: 'linux/s390x' },
              { name: 'flags', value: '-cover' },
            ],
          },
          { params: [{ name: 'GOARCH', value: 'linux/ppc64le' }] },
        ],
      },
      [{ GOARCH: 'linux/s390x', flags: '-cover' }, { GOARCH: 'linux/ppc64le' }],
    ],
    ['an empty array yields nothing', { params: [{ name: 'os', value: [] }] }, []],
  ])('%s', (_label, matrix, expected) => {
    expect(matrixCombinations(matrix)).toEqual(expected);
    expect(countCombinations(matrix)).toBe(expected.length);
  });
});

describe('childTaskRunName', () => {
  it.each([
    ['pr', 'build', undefined, 'pr-build'],
    ['pr', 'build', 3, 'pr-build-3'],
  ])('%s %s %s', (pr, task, i, name) => {
    expect(childTaskRunName(pr, task, i)).toBe(name);
  });

  it('keeps long names unique and within 63 characters', () => {
    const a = childTaskRunName('a'.repeat(40), 'b'.repeat(30), 1);
    const b = childTaskRunName('a'.repeat(40), 'b'.repeat(30), 2);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe('gatherMatrixResults', () => {
  it('gathers string results into arrays in combination order', () => {
    expect(gatherMatrixResults([{ sha: '1', log: 'x' }, undefined, { sha: '3' }], ['sha', 'log', 'none'])).toEqual({
      sha: ['1', '3'],
      log: ['x'],
    });
  });
});
