import { expect, it } from 'vitest';
import type { StepOutcome, TaskRunOutcome } from './task-run-plan';
import { finishedTaskRunStatus, pendingTaskRunStatus } from './task-run-status';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:00:05Z');

const outcome = (over: Partial<TaskRunOutcome>): TaskRunOutcome => ({
  status: 'Succeeded',
  reason: 'Succeeded',
  message: '',
  sandbox: 'bubblewrap',
  results: {},
  steps: [],
  ...over,
});
const completed = (name: string, startedAt: Date, results?: Record<string, string>): StepOutcome => ({
  name,
  exitCode: 0,
  startedAt,
  finishedAt: t1,
  reason: 'Completed',
  ...(results ? { results } : {}),
});

it('maps a successful outcome to Tekton field names, parsing array results', () => {
  const status = finishedTaskRunStatus(
    outcome({
      message: 'All Steps have completed executing',
      results: { digest: 'sha256:abc\n', files: '["a","b"]' },
      steps: [completed('build', t0)],
    }),
    t0,
    t1,
    { digest: 'string', files: 'array' },
    { build: 'golang:1.22' },
  );
  expect(status.conditions[0]).toMatchObject({ type: 'Succeeded', status: 'True', reason: 'Succeeded' });
  expect(status.steps).toEqual([
    {
      name: 'build',
      container: 'step-build',
      imageID: 'golang:1.22',
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        message: undefined,
        startedAt: t0.toISOString(),
        finishedAt: t1.toISOString(),
      },
    },
  ]);
  expect(status.results).toEqual([
    { name: 'digest', type: 'string', value: 'sha256:abc\n' },
    { name: 'files', type: 'array', value: ['a', 'b'] },
  ]);
  expect(status.completionTime).toBe(t1.toISOString());
});

it('maps a timeout to a False condition with TaskRunTimeout', () => {
  const timedOut = outcome({
    status: 'Failed',
    reason: 'TaskRunTimeout',
    message: 'step "wait" timed out after 1s',
    sandbox: 'none',
  });
  const status = finishedTaskRunStatus(timedOut, t0, t1, {});
  expect(status.conditions[0]).toMatchObject({ status: 'False', reason: 'TaskRunTimeout' });
  expect(status.sandbox).toBe('none');
});

it('starts Unknown/Pending', () => {
  expect(pendingTaskRunStatus(t0).conditions[0]).toMatchObject({ status: 'Unknown', reason: 'Pending' });
});

it('records the step results a step wrote, typed by its declarations (Tekton TaskRunStepResult)', () => {
  const steps = [completed('clone', t0, { url: 'https://r', tags: '["v1"]' }), completed('plain', t1)];
  const status = finishedTaskRunStatus(outcome({ steps }), t0, t1, {}, {}, { clone: { url: 'string', tags: 'array' } });
  expect(status.steps[0].results).toEqual([
    { name: 'url', type: 'string', value: 'https://r' },
    { name: 'tags', type: 'array', value: ['v1'] },
  ]);
  expect(status.steps[1]).not.toHaveProperty('results');
});
