/** Runs and a pipeline for the scheduler's tests (decide and its pieces). */
import { parse } from 'yaml';
import { ZPipelineSpec } from './pipeline-schemas';
import type { DecideInput } from './run-facts';
import type { TaskRunState } from './run-state';

export const t0 = new Date('2026-01-01T00:00:00Z');
export const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);
export const spec = (yaml: string) => ZPipelineSpec.parse(parse(yaml));
export const ok = (
  task: string,
  results?: Record<string, string>,
  extra: Partial<TaskRunState> = {},
): TaskRunState => ({
  task,
  status: 'Succeeded',
  reason: 'Succeeded',
  attempt: 0,
  results,
  ...extra,
});
export const failed = (task: string, extra: Partial<TaskRunState> = {}): TaskRunState => ({
  task,
  status: 'Failed',
  reason: 'Failed',
  attempt: 0,
  ...extra,
});
export const running = (task: string, extra: Partial<TaskRunState> = {}): TaskRunState => ({
  task,
  status: 'Running',
  attempt: 0,
  startTime: t0,
  ...extra,
});
export const cancelled = (task: string): TaskRunState => ({
  task,
  status: 'Cancelled',
  reason: 'TaskRunCancelled',
  attempt: 0,
});

export const ci = spec(`
params: [{name: branch, default: main}]
tasks:
  - {name: fetch, taskRef: {name: t}}
  - {name: lint, taskRef: {name: t}}
  - name: test
    taskRef: {name: t}
    params: [{name: sha, value: $(tasks.fetch.results.sha)}]
  - name: deploy
    taskRef: {name: t}
    runAfter: [test, lint]
    when: [{input: $(params.branch), operator: in, values: [main]}]
  - {name: notify, taskRef: {name: t}, runAfter: [deploy]}
finally:
  - name: report
    taskRef: {name: t}
    params: [{name: summary, value: "$(tasks.status) test=$(tasks.test.status) deploy=$(tasks.deploy.status)"}]
results:
  - {name: sha, value: $(tasks.fetch.results.sha)}
  - {name: where, value: $(tasks.deploy.results.url)}
`);

export const base = (over: Partial<DecideInput>): DecideInput => ({
  pipelineRun: { name: 'pr', namespace: 'ns', uid: 'u1' },
  pipelineName: 'ci',
  spec: ci,
  startTime: t0,
  now: minutes(1),
  taskRuns: [],
  ...over,
});
