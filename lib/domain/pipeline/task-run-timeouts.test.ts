import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { spec, t0 } from './scheduler-fixtures';

const pipeline = spec(`
tasks:
  - {name: build, taskRef: {name: t}, timeout: 10m}
  - {name: test, taskRef: {name: t}, timeout: 10m}
`);
const startOf = (taskRunTimeouts?: Record<string, string>) =>
  decide({ pipelineRun: { name: 'pr' }, spec: pipeline, startTime: t0, now: t0, taskRuns: [], taskRunTimeouts }).start;

describe('taskRunSpecs[].timeout (upstream: it overrides the pipeline task timeout)', () => {
  it('replaces the task’s own timeout, longer or shorter, for that task only', () => {
    const starts = startOf({ build: '1h', test: '30s' });
    expect(starts.find((s) => s.task === 'build')?.timeoutMs).toBe(3_600_000);
    expect(starts.find((s) => s.task === 'test')?.timeoutMs).toBe(30_000);
  });

  it('without one, the task keeps its own', () => {
    expect(startOf().map((s) => s.timeoutMs)).toEqual([600_000, 600_000]);
  });

  it('is still bounded by what is left of the pipeline’s timeout', () => {
    const starts = decide({
      pipelineRun: { name: 'pr' },
      spec: pipeline,
      startTime: t0,
      now: t0,
      taskRuns: [],
      timeouts: { pipeline: '20m' },
      taskRunTimeouts: { build: '1h' },
    }).start;
    expect(starts.find((s) => s.task === 'build')?.timeoutMs).toBe(1_200_000);
  });
});
