import { describe, expect, it } from 'vitest';
import {
  isClaimName,
  mountPathProblem,
  nestedMountPaths,
  subPathProblem,
  subPathSegments,
  templateSubPathProblem,
} from './workspace-paths';

describe('subPathProblem', () => {
  it.each(['cache', 'cache/npm', './a//b/', '%2e%2e', '%2e%2e%2f..x', '...', '.hidden', 'a b', ''])(
    'accepts %j',
    (v) => {
      expect(subPathProblem(v)).toBeUndefined();
    },
  );

  it.each([
    ['..', '".."'],
    ['../../../..', '".."'],
    ['a/../../b', '".."'],
    ['a/..', '".."'],
    ['/etc', 'absolute'],
    ['//etc', 'absolute'],
    ['..\\..', 'backslash'],
    ['a\u0000b', 'NUL'],
    ['a'.repeat(256), '255 bytes'],
    ['é'.repeat(128), '255 bytes'],
    [`${'a/'.repeat(2049)}`, '4096 bytes'],
  ])('refuses %j', (v, why) => {
    expect(subPathProblem(v)).toContain(why);
  });

  it('checks the text around $(…) references, which are checked again once substituted', () => {
    expect(templateSubPathProblem('$(params.dir)')).toBeUndefined();
    expect(templateSubPathProblem('cache/$(context.pipelineRun.name)')).toBeUndefined();
    expect(templateSubPathProblem('$(params.dir)/../..')).toContain('".."');
    expect(templateSubPathProblem('/$(params.dir)')).toContain('absolute');
  });

  it('normalises to folder names', () => {
    expect(subPathSegments('./a//b/./c/')).toEqual(['a', 'b', 'c']);
    expect(subPathSegments(undefined)).toEqual([]);
    expect(subPathSegments('%2e%2e')).toEqual(['%2e%2e']);
  });
});

describe('claim names', () => {
  it.each(['cache', 'a', 'my-cache-1', 'a'.repeat(63)])('accepts %j', (v) => expect(isClaimName(v)).toBe(true));
  it.each(['..', '.', '', 'Cache', '-a', 'a-', 'a/b', 'a.b', '%2e%2e', 'a'.repeat(64), 'a\u0000'])('refuses %j', (v) =>
    expect(isClaimName(v)).toBe(false),
  );
});

describe('mountPathProblem', () => {
  it.each(['/workspace/cache', '/cache', '/root/.docker', '/workspace//x/'])('accepts %j', (v) =>
    expect(mountPathProblem(v)).toBeUndefined(),
  );
  it.each([
    ['cache', 'relative'],
    ['/workspace/../etc', '".."'],
    ['/', 'root'],
    ['//./', 'root'],
    ['/workspace/', '/workspace itself'],
    ['/tekton/results', '/tekton'],
    ['/tekton', '/tekton'],
    ['/proc/self', '/proc'],
    ['/dev', '/dev'],
    ['/x\u0000', 'NUL'],
  ])('refuses %j', (v, why) => expect(mountPathProblem(v)).toContain(why));
});

describe('nestedMountPaths', () => {
  it('finds a mount path inside another or repeating it', () => {
    expect(nestedMountPaths(['/cache', '/cache/b', '/other'])).toEqual([[1, 0]]);
    expect(nestedMountPaths(['/workspace/a', '/workspace/a/'])).toEqual([[1, 0]]);
    expect(nestedMountPaths(['/workspace/a', '/workspace/ab'])).toEqual([]);
    expect(nestedMountPaths([undefined, '/x'])).toEqual([]);
  });
});
