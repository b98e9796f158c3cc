import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTaskRun, useHarness } from './pipeline-semantics-support';

/**
 * A full disk fails the TaskRun it hit and nothing else: the run folders live on a 2 MiB tmpfs (mounted here, as
 * root, which CI is), a step fills it, and the worker's engine goes on running the next TaskRuns.
 */
const h = useHarness();
let runsDir: string;

beforeAll(() => {
  runsDir = h.ed.runsDir;
  mkdirSync(runsDir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', runsDir]);
});
afterAll(() => {
  if (runsDir) execFileSync('umount', ['-l', runsDir]);
});

const taskRun = (name: string, script: string) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name },
  spec: { taskSpec: { steps: [{ name: 'main', image: 'busybox', script }] } },
});
const freeBytes = () => {
  const s = statfsSync(runsDir);
  return s.bavail * s.bsize;
};

it('a step that fills the run folder fails its TaskRun with TaskRunDiskFull; the folder is freed and the next TaskRun succeeds', async () => {
  const full = await runTaskRun(
    h,
    taskRun('fills-disk', '#!/bin/sh\ndd if=/dev/zero of=/workspace/fill bs=64k count=64\n'),
  );
  expect(full.row.state).toBe('failed');
  const condition = full.row.status.conditions[0];
  expect(condition.reason).toBe('TaskRunDiskFull');
  expect(condition.message).toMatch(/^no space left on device in the run folder .+; free space on the worker/);
  expect(condition.message).toContain('KEELSON_RUN_RETENTION');
  // Its folder went at once: the disk has room again.
  expect(readdirSync(runsDir).filter((e) => !e.startsWith('.'))).toEqual([]);
  expect(freeBytes()).toBeGreaterThan(1024 * 1024);

  const next = await runTaskRun(h, taskRun('after-full', '#!/bin/sh\necho still here\n'));
  expect(next.row.state).toBe('succeeded');
  expect(next.lines.join('\n')).toContain('still here');
});

it("when the executor's own writes to the run folder fail with ENOSPC the TaskRun fails with TaskRunDiskFull, and runs again once there is room", async () => {
  const ballast = path.join(runsDir, '.ballast');
  try {
    writeFileSync(ballast, Buffer.alloc(4 * 1024 * 1024));
  } catch {
    // ENOSPC: the tmpfs is as full as it gets.
  }
  expect(freeBytes()).toBeLessThan(64 * 1024);
  const blocked = await runTaskRun(h, taskRun('no-room', '#!/bin/sh\necho never\n'));
  expect(blocked.row.state).toBe('failed');
  expect(blocked.row.status.conditions[0].reason).toBe('TaskRunDiskFull');
  expect(blocked.lines.join('\n')).not.toContain('never');

  rmSync(ballast);
  const again = await runTaskRun(h, taskRun('room-again', '#!/bin/sh\necho fine\n'));
  expect(again.row.state).toBe('succeeded');
  expect(again.lines.join('\n')).toContain('fine');
});
