import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pathMappings, runFolders, subfolders } from './path-rewrite';
import { adoptWorkspaces, checkStepMounts, makeStepResultsFolder, prepareWorkspaceFolders } from './workspace-folders';

let base: string;
let outside: string;
let volume: string;
const folders = () => runFolders(path.join(base, 'run'));
beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'keelson-ws-folders-'));
  outside = path.join(base, 'outside');
  volume = path.join(base, 'volumes', 'cache');
  for (const dir of [outside, volume, ...subfolders(folders())]) mkdirSync(dir, { recursive: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const ws = (hostPath: string, mountPath = '/workspace/source') => ({
  name: 'source',
  mountPath,
  hostPath,
  root: volume,
  readOnly: false,
});

describe('prepareWorkspaceFolders', () => {
  it('makes a subPath below the volume root', () => {
    expect(prepareWorkspaceFolders([ws(path.join(volume, 'a', 'b'))])).toBeUndefined();
    expect(existsSync(path.join(volume, 'a', 'b'))).toBe(true);
  });

  it('refuses a symlink a step planted on the subPath, and makes nothing behind it', () => {
    symlinkSync(outside, path.join(volume, 'link'));
    expect(prepareWorkspaceFolders([ws(path.join(volume, 'link', 'new'))])).toMatch(/link is a symlink/);
    expect(existsSync(path.join(outside, 'new'))).toBe(false);
  });

  it('refuses a host path outside its root, and nested mount paths', () => {
    expect(prepareWorkspaceFolders([ws(outside)])).toMatch(/outside its volume/);
    const nested = [ws(volume, '/cache'), { ...ws(path.join(volume, 'x')), name: 'b', mountPath: '/cache/b' }];
    expect(prepareWorkspaceFolders(nested)).toMatch(/lies inside workspace "source"/);
  });
});

describe('checkStepMounts', () => {
  it('makes a mount point inside /workspace as a real folder, refusing one an earlier step swapped for a symlink', () => {
    const f = folders();
    const mappings = pathMappings(f, [ws(volume, '/workspace/a/b')]);
    expect(checkStepMounts(mappings, f, true)).toBeUndefined();
    expect(existsSync(path.join(f.workspace, 'a', 'b'))).toBe(true);

    rmSync(path.join(f.workspace, 'a'), { recursive: true });
    symlinkSync(outside, path.join(f.workspace, 'a'));
    expect(checkStepMounts(mappings, f, true)).toMatch(/is a symlink/);
    expect(existsSync(path.join(outside, 'b'))).toBe(false);
  });

  it('refuses a workspace whose folder became a symlink since the run started', () => {
    const f = folders();
    mkdirSync(path.join(volume, 'sub'));
    const mappings = pathMappings(f, [ws(path.join(volume, 'sub'))]);
    expect(checkStepMounts(mappings, f, true)).toBeUndefined();
    rmSync(path.join(volume, 'sub'), { recursive: true });
    symlinkSync(outside, path.join(volume, 'sub'));
    expect(checkStepMounts(mappings, f, true)).toMatch(/sub is a symlink/);
  });
});

describe('makeStepResultsFolder', () => {
  it('refuses a step folder an earlier step replaced with a symlink', () => {
    const f = folders();
    expect(makeStepResultsFolder(f, 'a')).toBeUndefined();
    symlinkSync(outside, path.join(f.steps, 'step-b'));
    expect(makeStepResultsFolder(f, 'b')).toMatch(/is a symlink/);
    expect(existsSync(path.join(outside, 'results'))).toBe(false);
  });
});

describe('adoptWorkspaces', () => {
  const user = { name: 'test-step', uid: 54321, gid: 54321 };
  const owner = (p: string) => lstatSync(p).uid;
  const asRoot = process.getuid?.() === 0;

  it.runIf(asRoot)(
    'gives a root-owned workspace and its root-owned content to the step user, never what a symlink in it points to',
    () => {
      mkdirSync(path.join(volume, 'sub', 'deep'), { recursive: true });
      writeFileSync(path.join(volume, 'sub', 'deep', 'file'), 'x');
      writeFileSync(path.join(outside, 'target'), 'x');
      symlinkSync(outside, path.join(volume, 'sub', 'to-outside'));
      expect(adoptWorkspaces([ws(path.join(volume, 'sub'))], user)).toBeUndefined();
      for (const p of ['sub', 'sub/deep', 'sub/deep/file', 'sub/to-outside'])
        expect([p, owner(path.join(volume, p))]).toEqual([p, user.uid]);
      expect([owner(outside), owner(path.join(outside, 'target'))]).toEqual([0, 0]);
    },
  );

  it.runIf(asRoot)('refuses a symlink on the way to the workspace folder and changes nothing behind it', () => {
    mkdirSync(path.join(outside, 'sub'));
    symlinkSync(outside, path.join(volume, 'link'));
    expect(adoptWorkspaces([ws(path.join(volume, 'link', 'sub'))], user)).toMatch(/link is a symlink/);
    expect([owner(outside), owner(path.join(outside, 'sub'))]).toEqual([0, 0]);
  });
});
