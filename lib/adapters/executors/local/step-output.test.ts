import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pathMappings, runFolders, subfolders } from './path-rewrite';
import { MAX_PENDING_OUTPUT_BYTES, openStepOutputs } from './step-output';

let base: string;
const folders = () => runFolders(path.join(base, 'run'));
const mappings = () => pathMappings(folders(), []);
beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'keelson-step-output-'));
  for (const dir of subfolders(folders())) mkdirSync(dir, { recursive: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('openStepOutputs', () => {
  it('copies stdout and stderr to their files, truncating what was there; one path shared by both', async () => {
    writeFileSync(path.join(folders().results, 'out'), 'old content that is longer');
    const files = openStepOutputs(
      { stdoutPath: '/tekton/results/out', stderrPath: '/tekton/steps/step-s/results/err' },
      mappings(),
    );
    if (typeof files !== 'object') throw new Error(`not opened: ${files}`);
    files.write('stdout', Buffer.from('a\n'));
    files.write('stderr', Buffer.from('e'));
    files.write('stdout', Buffer.from('b'));
    expect(await files.close()).toBeUndefined();
    expect(readFileSync(path.join(folders().results, 'out'), 'utf8')).toBe('a\nb');
    expect(readFileSync(path.join(folders().steps, 'step-s', 'results', 'err'), 'utf8')).toBe('e');

    const both = openStepOutputs({ stdoutPath: '/workspace/log', stderrPath: '/workspace/log' }, mappings());
    if (typeof both !== 'object') throw new Error(`not opened: ${both}`);
    both.write('stdout', Buffer.from('1'));
    both.write('stderr', Buffer.from('2'));
    expect(await both.close()).toBeUndefined();
    expect(readFileSync(path.join(folders().workspace, 'log'), 'utf8')).toBe('12');
  });

  it('has nothing to open without a path', () => {
    expect(openStepOutputs({}, mappings())).toBeUndefined();
  });

  it.each([
    ['a host path no mapping covers', '/etc/passwd', /not a file in a folder the step can write/],
    ['a read-only folder', '/tekton/scripts/x', /not a file in a folder the step can write/],
    ['a folder itself', '/tekton/results', /not a file in a folder the step can write/],
    ['a relative path', 'out.txt', /not a file in a folder the step can write/],
  ])('refuses %s', (_label, p, message) => {
    expect(openStepOutputs({ stdoutPath: p }, mappings())).toMatch(message);
  });

  it('never writes through a symlink a step planted (at the file or on the way)', () => {
    const outside = path.join(base, 'outside');
    mkdirSync(outside);
    symlinkSync(path.join(outside, 'target'), path.join(folders().results, 'out'));
    symlinkSync(outside, path.join(folders().workspace, 'dir'));
    expect(openStepOutputs({ stdoutPath: '/tekton/results/out' }, mappings())).toMatch(
      /: \/tekton\/results\/out is a symlink/,
    );
    expect(openStepOutputs({ stderrPath: '/workspace/dir/f' }, mappings())).toMatch(/: \/workspace\/dir is a symlink/);
    expect(existsSync(path.join(outside, 'target'))).toBe(false);
    expect(existsSync(path.join(outside, 'f'))).toBe(false);
  });

  it('refuses a FIFO a step planted at the path, without waiting for a reader (issue 13, F4)', () => {
    execFileSync('mkfifo', [path.join(folders().workspace, 'out')]);
    expect(openStepOutputs({ stdoutPath: '/workspace/out' }, mappings())).toMatch(
      /^stdoutConfig\.path "\/workspace\/out" cannot be written: \/workspace\/out is not a regular file$/,
    );
  });

  it('keeps the order of what both streams print to one file, however the writes are spread out', async () => {
    const files = openStepOutputs({ stdoutPath: '/workspace/log', stderrPath: '/workspace/log' }, mappings());
    if (typeof files !== 'object') throw new Error(`not opened: ${files}`);
    const expected: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const line = `${i} ${'x'.repeat(i % 97)}\n`;
      expected.push(line);
      files.write(i % 3 ? 'stdout' : 'stderr', Buffer.from(line));
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await files.close()).toBeUndefined();
    expect(readFileSync(path.join(folders().workspace, 'log'), 'utf8')).toBe(expected.join(''));
  });

  it('copies without waiting for the file, and stops with a reason past the bound on queued output', async () => {
    const files = openStepOutputs({ stdoutPath: '/tekton/results/out' }, mappings());
    if (typeof files !== 'object') throw new Error(`not opened: ${files}`);
    const mib = Buffer.alloc(1024 * 1024, 'a');
    // All queued at once, before any write could complete.
    for (let i = 0; i <= MAX_PENDING_OUTPUT_BYTES / mib.length; i++) files.write('stdout', mib);
    expect(await files.close()).toMatch(/^stdoutConfig\.path "\/tekton\/results\/out" could not keep up/);
    expect(statSync(path.join(folders().results, 'out')).size).toBe(MAX_PENDING_OUTPUT_BYTES);
  });
});
