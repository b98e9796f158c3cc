import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkFolders,
  makeFolders,
  namesBelow,
  openFileSafely,
  readFileSafely,
  UnsafePathError,
  writeFileSafely,
} from './safe-path';

let base: string;
let root: string;
let outside: string;
beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'keelson-safe-path-'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret'), 'top secret');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('makeFolders', () => {
  it('makes missing folders name by name and returns the path', () => {
    expect(makeFolders(root, ['a', 'b', 'c'])).toBe(path.join(root, 'a', 'b', 'c'));
    expect(existsSync(path.join(root, 'a', 'b', 'c'))).toBe(true);
    expect(() => checkFolders(root, ['a', 'b', 'c'])).not.toThrow();
  });

  it.each([
    ['an absolute symlink', () => symlinkSync(outside, path.join(root, 'link'))],
    ['a relative symlink', () => symlinkSync('../outside', path.join(root, 'link'))],
  ])('refuses %s on the way and creates nothing behind it', (_label, plant) => {
    plant();
    expect(() => makeFolders(root, ['link', 'made'])).toThrow(UnsafePathError);
    expect(() => makeFolders(root, ['link'])).toThrow(/is a symlink/);
    expect(existsSync(path.join(outside, 'made'))).toBe(false);
  });

  it('refuses a file where a folder should be, and names that are not plain', () => {
    writeFileSync(path.join(root, 'f'), '');
    expect(() => makeFolders(root, ['f', 'x'])).toThrow(/not a folder/);
    for (const bad of ['..', '.', '', 'a/b', 'a\u0000'])
      expect(() => makeFolders(root, [bad])).toThrow(UnsafePathError);
  });

  it('refuses a root that is itself a symlink', () => {
    symlinkSync(outside, path.join(base, 'root-link'));
    expect(() => makeFolders(path.join(base, 'root-link'), ['x'])).toThrow(/is a symlink/);
  });
});

describe('files', () => {
  it('writes and reads files without following symlinks', () => {
    writeFileSafely(root, ['d'], 'f', 'hello');
    expect(readFileSync(path.join(root, 'd', 'f'), 'utf8')).toBe('hello');
    expect(readFileSafely(root, ['d'], 'f', 10)).toEqual({ kind: 'file', text: 'hello' });
    expect(readFileSafely(root, ['d'], 'f', 3)).toEqual({ kind: 'too-large', size: 5 });
    expect(readFileSafely(root, ['d'], 'missing', 10)).toEqual({ kind: 'missing' });
    expect(readFileSafely(root, ['nope'], 'f', 10)).toEqual({ kind: 'missing' });

    symlinkSync(path.join(outside, 'secret'), path.join(root, 'd', 'stolen'));
    expect(readFileSafely(root, ['d'], 'stolen', 100)).toMatchObject({ kind: 'refused' });
    expect(() => writeFileSafely(root, ['d'], 'stolen', 'x')).toThrow(/symlink/);
    expect(readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('top secret');

    symlinkSync(outside, path.join(root, 'dirlink'));
    expect(readFileSafely(root, ['dirlink'], 'secret', 100)).toMatchObject({ kind: 'refused' });
    expect(() => writeFileSafely(root, ['dirlink'], 'planted', 'x')).toThrow(UnsafePathError);
    expect(existsSync(path.join(outside, 'planted'))).toBe(false);
  });

  // Issue 13, F4: opening a FIFO for writing waits for a reader; the worker's thread must never wait.
  it.each([
    ['no one reads', false],
    ['something holds it open for reading', true],
  ])('refuses a FIFO where a file should be, when %s, without waiting', (_label, withReader) => {
    const fifo = path.join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = withReader ? openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK) : undefined;
    try {
      expect(() => writeFileSafely(root, [], 'fifo', 'x')).toThrow(/fifo is not a regular file/);
      expect(() => openFileSafely(root, [], 'fifo')).toThrow(/fifo is not a regular file/);
      expect(readFileSafely(root, [], 'fifo', 10)).toEqual({ kind: 'refused', why: 'is not a regular file' });
      expect(() => writeFileSafely(root, ['fifo'], 'f', 'x')).toThrow(/fifo is not a folder/);
    } finally {
      if (reader !== undefined) closeSync(reader);
    }
  });

  it('refuses a folder where a file should be, with an UnsafePathError', () => {
    mkdirSync(path.join(root, 'dir'));
    expect(() => writeFileSafely(root, [], 'dir', 'x')).toThrow(UnsafePathError);
    expect(() => openFileSafely(root, [], 'dir')).toThrow(/dir is a folder/);
  });
});

describe('namesBelow', () => {
  it('gives the names below a root, or undefined outside it', () => {
    expect(namesBelow('/a/b', '/a/b/c/d')).toEqual(['c', 'd']);
    expect(namesBelow('/a/b', '/a/b')).toEqual([]);
    expect(namesBelow('/a/b', '/a/bc')).toBeUndefined();
    expect(namesBelow('/a/b', '/a')).toBeUndefined();
    expect(namesBelow('/a/b', '/a/b/..x')).toEqual(['..x']);
  });
});
