import { describe, expect, it } from 'vitest';
import { mappingOf, pathMappings, rewritePaths, runFolders, toHostPath } from './path-rewrite';

const folders = runFolders('/runs/tr1');
const mappings = pathMappings(folders, [
  { mountPath: '/workspace/source', hostPath: '/data/src', readOnly: false },
  { mountPath: '/custom/cache/', hostPath: '/data/cache', readOnly: true },
]);

describe('rewritePaths', () => {
  it.each([
    ['echo hi > /workspace/source/x', 'echo hi > /data/src/x'],
    ['cd /workspace/source', 'cd /data/src'],
    ['ls /workspace/other', 'ls /runs/tr1/workspace/other'],
    ['printf 1 > /tekton/results/r', 'printf 1 > /runs/tr1/results/r'],
    ['cat $(x) /tekton/steps/step-a/exitCode', 'cat $(x) /runs/tr1/steps/step-a/exitCode'],
    ['HOME=/tekton/home', 'HOME=/runs/tr1/home'],
    ['"/workspace/source"', '"/data/src"'],
    ["'/custom/cache/a'", "'/data/cache/a'"],
    ['/workspace/source.bak', '/runs/tr1/workspace/source.bak'],
    ['/workspace/source2/f', '/runs/tr1/workspace/source2/f'],
  ])('rewrites %j', (input, expected) => {
    expect(rewritePaths(input, mappings)).toBe(expected);
  });

  it.each([
    '/srv/workspace/source',
    'my/workspace',
    '/workspace-old',
    '/tekton/resultsx',
    'https://h/workspace/source',
    '/tekton/other',
  ])('leaves %j alone', (input) => {
    expect(rewritePaths(input, mappings)).toBe(input);
  });

  it('never rewrites its own output twice', () => {
    const nested = pathMappings(runFolders('/workspace/runs'), []);
    expect(rewritePaths('/workspace/x /tekton/home', nested)).toBe('/workspace/runs/workspace/x /workspace/runs/home');
  });

  it('rewrites several paths in a multi-line script', () => {
    const script = 'cd /workspace/source\nls -l /tekton/results\n';
    expect(rewritePaths(script, mappings)).toBe('cd /data/src\nls -l /runs/tr1/results\n');
  });
});

describe('toHostPath', () => {
  it('maps paths under the most specific mount', () => {
    expect(toHostPath('/workspace/source/a/b', mappings)).toEqual({ host: '/data/src/a/b', readOnly: false });
    expect(toHostPath('/workspace', mappings)).toEqual({ host: '/runs/tr1/workspace', readOnly: false });
    expect(toHostPath('/custom/cache', mappings)).toEqual({ host: '/data/cache', readOnly: true });
    expect(toHostPath('/tekton/scripts/s', mappings)).toEqual({ host: '/runs/tr1/scripts/s', readOnly: true });
  });

  it('returns undefined outside every mount', () => {
    expect(toHostPath('/usr/bin/env', mappings)).toBeUndefined();
    expect(toHostPath('/workspaces', mappings)).toBeUndefined();
  });
});

describe('mappingOf', () => {
  it('gives the covering mapping, its volume root, and the folder names below it', () => {
    const withRoot = pathMappings(folders, [
      { mountPath: '/workspace/source', hostPath: '/data/volumes/c/sub', root: '/data/volumes/c', readOnly: false },
    ]);
    expect(mappingOf('/workspace/source/a//b/', withRoot)).toMatchObject({
      mapping: { host: '/data/volumes/c/sub', root: '/data/volumes/c' },
      names: ['a', 'b'],
    });
    expect(mappingOf('/workspace/source/../other', withRoot)).toMatchObject({
      mapping: { host: folders.workspace },
      names: ['other'],
    });
    expect(mappingOf('/usr/bin', withRoot)).toBeUndefined();
  });
});
