import { describe, expect, it } from 'vitest';
import {
  isClaimName,
  mountPathProblem,
  nestedMountPathErrors,
  nestedMountPaths,
  resolveMountPath,
  subPathProblem,
  subPathSegments,
  templateSubPathProblem,
  ZTemplateMountPath,
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
  it.each([
    '/workspace/cache',
    '/cache',
    '/root/.docker',
    '/workspace//x/',
    '/etc/app',
    '/usr/share/app',
    '/usr/local/x',
  ])('accepts %j', (v) => expect(mountPathProblem(v)).toBeUndefined());
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
    // Where the sandbox runs setpriv, unshare and the loader from before dropping privileges.
    ['/usr/bin', 'would cover /usr/bin'],
    ['/usr', 'would cover /usr,'],
    ['/etc/', 'would cover /etc,'],
    ['/lib/x86_64-linux-gnu', 'would cover /lib'],
    ['/usr/lib64/x', 'would cover /usr/lib64'],
    ['/sbin', 'would cover /sbin'],
    ['/etc/ld.so.preload', 'would cover /etc/ld.so.preload'],
    ['/etc/ld.so.conf.d/x.conf', 'would cover /etc/ld.so.conf.d'],
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

describe('a Task workspace mountPath with variables (substituted, then checked again)', () => {
  const scope = { 'params.dir': 'cache', 'params.abs': '/srv/data', 'params.bad': '../etc' };

  it.each([
    ['/workspace/$(params.dir)', '/workspace/cache'],
    ['$(params.abs)', '/srv/data'],
    [undefined, '/workspace/w'],
  ])('%s resolves to %s', (raw, mountPath) => {
    expect(resolveMountPath(raw, 'w', scope, 't')).toEqual({ mountPath });
  });

  it('a substituted path that is not fit fails the TaskRun', () => {
    expect(resolveMountPath('/workspace/$(params.bad)', 'w', scope, 't').error).toMatchObject({
      reason: 'TaskRunValidationFailed',
      message: 'mountPath "/workspace/../etc" of workspace "w" contains ".."; write the path without it',
    });
    expect(resolveMountPath('$(params.dir)', 'w', scope, 't').error?.message).toContain('is relative');
  });

  it('the schema accepts a reference where a path name goes and still refuses a relative literal', () => {
    expect(ZTemplateMountPath.safeParse('$(params.abs)').success).toBe(true);
    expect(ZTemplateMountPath.safeParse('/workspace/$(params.dir)').success).toBe(true);
    expect(ZTemplateMountPath.safeParse('cache/$(params.dir)').success).toBe(false);
  });

  it('substituted paths inside one another are refused', () => {
    const plans = [
      { name: 'a', mountPath: '/workspace/a' },
      { name: 'b', mountPath: '/workspace/a/b' },
    ];
    expect(nestedMountPathErrors(plans, 't').map((e) => e.message)).toEqual([
      'mountPath "/workspace/a/b" of workspace "b" lies inside workspace "a"',
    ]);
  });
});
