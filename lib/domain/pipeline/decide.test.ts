import { describe, expect, it } from 'vitest';
import { decide, type DecideInput } from './decide';
import { SkippingReason } from './reasons';

import { base, cancelled, failed, minutes, ok, running, spec } from './scheduler-fixtures';

type Row = [
  string,
  Partial<DecideInput>,
  {
    start?: string[];
    retry?: string[];
    skip?: string[];
    cancel?: string[];
    condition?: string;
    finish?: string;
    message?: string;
  },
];

const rows: Row[] = [
  ['starts the roots in parallel', {}, { start: ['fetch', 'lint'], condition: 'Unknown Running' }],
  [
    'waits for running parents',
    { taskRuns: [running('fetch'), running('lint')] },
    { start: [], condition: 'Unknown Running' },
  ],
  [
    'starts a child when its result parent succeeded',
    { taskRuns: [ok('fetch', { sha: 'abc' }), running('lint')] },
    { start: ['test'] },
  ],
  [
    'a false when skips only that task; runAfter dependents still run',
    { params: [{ name: 'branch', value: 'dev' }], taskRuns: [ok('fetch', { sha: 'a' }), ok('lint'), ok('test')] },
    { start: ['notify'], skip: [`deploy: ${SkippingReason.WhenExpressions}`] },
  ],
  [
    'consumers of missing results are skipped',
    { taskRuns: [ok('fetch', {}), running('lint')] },
    { start: [], skip: [`test: ${SkippingReason.MissingResults}`], condition: 'Unknown Running' },
  ],
  [
    'a failed parent skips its children; others see the run stopping',
    { taskRuns: [failed('fetch'), ok('lint')] },
    {
      start: ['report summary=Failed test=None deploy=None'],
      skip: [
        `test: ${SkippingReason.ParentTasks}`,
        `deploy: ${SkippingReason.ParentTasks}`,
        `notify: ${SkippingReason.ParentTasks}`,
      ],
    },
  ],
  [
    'finally starts once every task ended, with status variables',
    {
      taskRuns: [failed('fetch'), ok('lint')],
      skipped: [
        { name: 'test', reason: SkippingReason.ParentTasks },
        { name: 'deploy', reason: SkippingReason.ParentTasks },
        { name: 'notify', reason: SkippingReason.ParentTasks },
      ],
    },
    { start: ['report summary=Failed test=None deploy=None'], condition: 'Unknown PipelineRunStopping' },
  ],
  [
    'finishes Failed with the count message',
    {
      taskRuns: [failed('fetch'), ok('lint'), ok('report')],
      skipped: [
        { name: 'test', reason: SkippingReason.ParentTasks },
        { name: 'deploy', reason: SkippingReason.ParentTasks },
        { name: 'notify', reason: SkippingReason.ParentTasks },
      ],
    },
    { finish: 'False Failed', message: 'Tasks Completed: 3 (Failed: 1, Cancelled 0), Skipped: 3' },
  ],
  [
    'finishes Succeeded when all ran',
    {
      taskRuns: [
        ok('fetch', { sha: 'abc' }),
        ok('lint'),
        ok('test'),
        ok('deploy', { url: 'http://x' }),
        ok('notify'),
        ok('report'),
      ],
    },
    { finish: 'True Succeeded', message: 'Tasks Completed: 6 (Failed: 0, Cancelled 0), Skipped: 0' },
  ],
  [
    'finishes Completed when some were skipped',
    {
      taskRuns: [ok('fetch', { sha: 'abc' }), ok('lint'), ok('test'), ok('notify'), ok('report')],
      skipped: [{ name: 'deploy', reason: SkippingReason.WhenExpressions }],
    },
    { finish: 'True Completed', message: 'Tasks Completed: 5 (Failed: 0, Cancelled 0), Skipped: 1' },
  ],
  [
    'retries a failure while attempts remain',
    { spec: spec('tasks: [{name: a, taskRef: {name: t}, retries: 2}]'), taskRuns: [failed('a', { attempt: 1 })] },
    { retry: ['a#2'], condition: 'Unknown Running' },
  ],
  [
    'fails once retries are used up',
    { spec: spec('tasks: [{name: a, taskRef: {name: t}, retries: 2}]'), taskRuns: [failed('a', { attempt: 2 })] },
    { retry: [], finish: 'False Failed' },
  ],
  [
    'does not retry a cancelled run',
    { spec: spec('tasks: [{name: a, taskRef: {name: t}, retries: 2}]'), taskRuns: [cancelled('a')] },
    { retry: [], finish: 'False Cancelled' },
  ],
  [
    'reports TaskRunTimeout when the failure was a task timeout',
    { spec: spec('tasks: [{name: a, taskRef: {name: t}}]'), taskRuns: [failed('a', { reason: 'TaskRunTimeout' })] },
    { finish: 'False TaskRunTimeout' },
  ],
  [
    'Cancelled stops everything and skips finally',
    { specStatus: 'Cancelled', taskRuns: [running('fetch'), ok('lint')] },
    {
      start: [],
      cancel: ['fetch'],
      finish: 'False Cancelled',
      message: 'Tasks Completed: 2 (Failed: 0, Cancelled 1), Skipped: 0',
    },
  ],
  [
    'CancelledRunFinally cancels running tasks and skips the rest',
    { specStatus: 'CancelledRunFinally', taskRuns: [ok('fetch', { sha: 'a' }), running('lint')] },
    {
      start: [],
      cancel: ['lint'],
      skip: ['test', 'deploy', 'notify'].map((n) => `${n}: ${SkippingReason.GracefullyCancelled}`),
      condition: 'Unknown CancelledRunningFinally',
    },
  ],
  [
    'CancelledRunFinally then runs finally',
    {
      specStatus: 'CancelledRunFinally',
      taskRuns: [ok('fetch', { sha: 'a' }), cancelled('lint')],
      skipped: [{ name: 'test', reason: SkippingReason.GracefullyCancelled }],
    },
    {
      start: ['report summary=None test=None deploy=None'],
      skip: [`deploy: ${SkippingReason.GracefullyCancelled}`, `notify: ${SkippingReason.GracefullyCancelled}`],
    },
  ],
  [
    'CancelledRunFinally ends as Cancelled once finally has run (as upstream; CancelledRunningFinally only meanwhile)',
    {
      specStatus: 'CancelledRunFinally',
      taskRuns: [ok('fetch', { sha: 'a' }), cancelled('lint'), ok('report')],
      skipped: ['test', 'deploy', 'notify'].map((name) => ({ name, reason: SkippingReason.GracefullyCancelled })),
    },
    { finish: 'False Cancelled', message: 'PipelineRun "pr" was cancelled' },
  ],
  [
    'StoppedRunFinally lets running tasks finish and starts nothing new',
    { specStatus: 'StoppedRunFinally', taskRuns: [ok('fetch', { sha: 'a' }), running('lint')] },
    {
      start: [],
      cancel: [],
      skip: ['test', 'deploy', 'notify'].map((n) => `${n}: ${SkippingReason.GracefullyStopped}`),
      condition: 'Unknown StoppedRunningFinally',
    },
  ],
  [
    'CancelledRunFinally names the cancel for tasks below a task it cancelled, not "Parent Tasks were skipped"',
    { specStatus: 'CancelledRunFinally', taskRuns: [cancelled('fetch'), cancelled('lint')] },
    {
      skip: ['test', 'deploy', 'notify'].map((n) => `${n}: ${SkippingReason.GracefullyCancelled}`),
      start: ['report summary=None test=None deploy=None'],
      condition: 'Unknown CancelledRunningFinally',
    },
  ],
  [
    'StoppedRunFinally names the stop for tasks below one still running',
    { specStatus: 'StoppedRunFinally', taskRuns: [running('fetch'), ok('lint')] },
    {
      skip: ['test', 'deploy', 'notify'].map((n) => `${n}: ${SkippingReason.GracefullyStopped}`),
      condition: 'Unknown StoppedRunningFinally',
    },
  ],
  [
    'a graceful cancel after a failure: children of the failed task are parent-skipped, the rest see the run stopping',
    { specStatus: 'CancelledRunFinally', taskRuns: [failed('fetch'), running('lint')] },
    {
      cancel: ['lint'],
      skip: [
        `test: ${SkippingReason.ParentTasks}`,
        `deploy: ${SkippingReason.Stopping}`,
        `notify: ${SkippingReason.Stopping}`,
      ],
      condition: 'Unknown CancelledRunningFinally',
    },
  ],
  [
    'CancelledRunFinally does not retry a failed attempt, and the run does not wait for it',
    {
      specStatus: 'CancelledRunFinally',
      spec: spec('tasks: [{name: a, taskRef: {name: t}, retries: 2}, {name: b, taskRef: {name: t}, runAfter: [a]}]'),
      taskRuns: [failed('a')],
    },
    { retry: [], skip: [`b: ${SkippingReason.ParentTasks}`], finish: 'False Failed' },
  ],
  [
    'StoppedRunFinally lets a failed attempt retry, as the running TaskRun is left alone',
    {
      specStatus: 'StoppedRunFinally',
      spec: spec('tasks: [{name: a, taskRef: {name: t}, retries: 2}, {name: b, taskRef: {name: t}, runAfter: [a]}]'),
      taskRuns: [failed('a')],
    },
    { retry: ['a#1'], skip: [`b: ${SkippingReason.GracefullyStopped}`], condition: 'Unknown StoppedRunningFinally' },
  ],
  [
    'after the tasks timeout a failed attempt is not retried and the run ends',
    {
      now: minutes(11),
      timeouts: { tasks: '10m' },
      spec: spec('tasks: [{name: a, taskRef: {name: t}, retries: 2}, {name: b, taskRef: {name: t}, runAfter: [a]}]'),
      taskRuns: [failed('a')],
    },
    { retry: [], skip: [`b: ${SkippingReason.ParentTasks}`], finish: 'False Failed' },
  ],
  [
    'StoppedRunFinally ends as Cancelled once finally has run (as upstream)',
    {
      specStatus: 'StoppedRunFinally',
      taskRuns: [ok('fetch', { sha: 'a' }), ok('lint'), ok('report')],
      skipped: ['test', 'deploy', 'notify'].map((name) => ({ name, reason: SkippingReason.GracefullyStopped })),
    },
    { finish: 'False Cancelled' },
  ],
  [
    'the default pipeline timeout is 60 minutes',
    { now: minutes(60), taskRuns: [running('fetch'), ok('lint')] },
    {
      cancel: ['fetch'],
      skip: ['test', 'deploy', 'notify', 'report'].map((n) => `${n}: ${SkippingReason.PipelineTimedOut}`),
      finish: 'False PipelineRunTimeout',
      message: 'PipelineRun "pr" failed to finish within "1h0m0s"',
    },
  ],
  [
    'timeouts.pipeline 0 means none',
    { now: minutes(600), timeouts: { pipeline: '0' } },
    { start: ['fetch', 'lint'], condition: 'Unknown Running' },
  ],
  [
    'the tasks timeout cancels tasks and still runs finally',
    { now: minutes(11), timeouts: { pipeline: '1h', tasks: '10m' }, taskRuns: [running('fetch'), ok('lint')] },
    { cancel: ['fetch'], start: [], condition: 'Unknown Running' },
  ],
  [
    'after the tasks timeout, pending tasks skip and finally starts',
    {
      now: minutes(12),
      timeouts: { pipeline: '1h', tasks: '10m' },
      taskRuns: [ok('fetch', { sha: 'a' }), cancelled('lint')],
    },
    {
      skip: [
        `test: ${SkippingReason.TasksTimedOut}`,
        `deploy: ${SkippingReason.ParentTasks}`,
        `notify: ${SkippingReason.ParentTasks}`,
      ],
      start: ['report summary=None test=None deploy=None'],
    },
  ],
  [
    'the run ends PipelineRunTimeout after a tasks timeout',
    {
      now: minutes(13),
      timeouts: { pipeline: '1h', tasks: '10m' },
      taskRuns: [ok('fetch', { sha: 'a' }), cancelled('lint'), ok('report')],
      skipped: [
        { name: 'test', reason: SkippingReason.TasksTimedOut },
        { name: 'deploy', reason: SkippingReason.ParentTasks },
        { name: 'notify', reason: SkippingReason.ParentTasks },
      ],
    },
    { finish: 'False PipelineRunTimeout' },
  ],
  [
    'the finally timeout cancels finally tasks',
    {
      now: minutes(30),
      timeouts: { finally: '5m' },
      taskRuns: [
        ok('fetch', { sha: 'a' }),
        ok('lint'),
        ok('test'),
        ok('deploy'),
        ok('notify'),
        running('report', { startTime: minutes(20) }),
      ],
    },
    { cancel: ['report'], condition: 'Unknown Running' },
  ],
  [
    'onError: continue lets dependents run and the run succeed',
    {
      spec: spec(
        'tasks: [{name: a, taskRef: {name: t}, onError: continue}, {name: b, taskRef: {name: t}, runAfter: [a]}]',
      ),
      taskRuns: [failed('a')],
    },
    { start: ['b'], condition: 'Unknown Running' },
  ],
  [
    'an ignored failure is reported but not fatal',
    {
      spec: spec(
        'tasks: [{name: a, taskRef: {name: t}, onError: continue}, {name: b, taskRef: {name: t}, runAfter: [a]}]',
      ),
      taskRuns: [failed('a'), ok('b')],
    },
    { finish: 'True Succeeded', message: 'Tasks Completed: 2 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 0' },
  ],
  [
    'a finally when on $(tasks.status) skips',
    {
      spec: spec(
        'tasks: [{name: a, taskRef: {name: t}}]\nfinally: [{name: alert, taskRef: {name: t}, when: [{input: $(tasks.status), operator: in, values: [Failed]}]}]',
      ),
      taskRuns: [ok('a')],
    },
    {
      skip: [`alert: ${SkippingReason.WhenExpressions}`],
      finish: 'True Completed',
      message: 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 1',
    },
  ],
  [
    'a finally task reading a missing result is skipped',
    {
      spec: spec(
        'tasks: [{name: a, taskRef: {name: t}}]\nfinally: [{name: f, taskRef: {name: t}, params: [{name: p, value: $(tasks.a.results.r)}]}]',
      ),
      taskRuns: [failed('a')],
    },
    { skip: [`f: ${SkippingReason.MissingResults}`], finish: 'False Failed' },
  ],
  [
    'an unrelated task does not start while the run is stopping',
    {
      spec: spec(
        'tasks: [{name: a, taskRef: {name: t}}, {name: x, taskRef: {name: t}}, {name: b, taskRef: {name: t}, runAfter: [x]}]',
      ),
      taskRuns: [failed('a'), ok('x')],
    },
    {
      start: [],
      skip: [`b: ${SkippingReason.Stopping}`],
      finish: 'False Failed',
      message: 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1',
    },
  ],
  [
    'below a task skipped for missing results, tasks are skipped as parent-skipped',
    {
      spec: spec(
        'tasks: [{name: a, taskRef: {name: t}}, {name: b, taskRef: {name: t}, params: [{name: p, value: $(tasks.a.results.r)}]}, {name: c, taskRef: {name: t}, runAfter: [b]}]',
      ),
      taskRuns: [ok('a', {})],
    },
    { skip: [`b: ${SkippingReason.MissingResults}`, `c: ${SkippingReason.ParentTasks}`], finish: 'True Completed' },
  ],
  [
    'PipelineRunPending starts nothing',
    { specStatus: 'PipelineRunPending' },
    { start: [], condition: 'Unknown PipelineRunPending' },
  ],
];

describe('decide', () => {
  it.each(rows)('%s', (_label, over, expected) => {
    const d = decide(base(over));
    const describeStart = (s: (typeof d.start)[number]) =>
      s.task === 'report'
        ? `report summary=${String(s.params.summary).replace(/ test.*/, '')} ${String(s.params.summary).split(' ').slice(1).join(' ')}`
        : s.attempt > 0
          ? `${s.task}#${s.attempt}`
          : s.task;
    if (expected.start) expect(d.start.map(describeStart)).toEqual(expected.start);
    if (expected.retry) expect(d.retry.map(describeStart)).toEqual(expected.retry);
    if (expected.skip) expect(d.skip.map((s) => `${s.name}: ${s.reason}`)).toEqual(expected.skip);
    if (expected.cancel) expect(d.cancelRunning.map((c) => c.task)).toEqual(expected.cancel);
    if (expected.condition) {
      expect(`${d.condition.status} ${d.condition.reason}`).toBe(expected.condition);
      expect(d.finish).toBeUndefined();
    }
    if (expected.finish) expect(`${d.finish?.status} ${d.finish?.reason}`).toBe(expected.finish);
    if (expected.message) expect(d.finish?.message).toBe(expected.message);
  });

  it('resolves params from results, pipeline params and context', () => {
    const s = spec(`
params: [{name: greeting, default: hi}]
tasks:
  - {name: a, taskRef: {name: t}}
  - name: b
    taskRef: {name: t}
    params:
      - {name: msg, value: "$(params.greeting) $(tasks.a.results.sha) $(context.pipelineRun.name) $(context.pipeline.name)"}
      - {name: list, value: "$(tasks.a.results.files[*])"}
    workspaces: [{name: src, workspace: shared, subPath: "$(context.pipelineRun.uid)"}]
`);
    const d = decide(
      base({
        spec: s,
        taskSpecs: { a: { steps: [{ image: 'a' }], results: [{ name: 'sha' }, { name: 'files', type: 'array' }] } },
        taskRuns: [ok('a', { sha: 'abc', files: '["x","y"]' })],
      }),
    );
    expect(d.start).toEqual([
      {
        task: 'b',
        finally: false,
        attempt: 0,
        taskRunName: 'pr-b',
        params: { msg: 'hi abc pr ci', list: ['x', 'y'] },
        workspaces: [{ name: 'src', workspace: 'shared', subPath: 'u1' }],
        timeoutMs: 59 * 60_000,
        taskRef: 't',
        taskSpec: undefined,
      },
    ]);
  });

  it('gives a task the smaller of its own timeout and what is left of the run', () => {
    const s = spec('tasks: [{name: a, taskRef: {name: t}, timeout: 10m}, {name: b, taskRef: {name: t}, timeout: 1h}]');
    const d = decide(base({ spec: s, now: minutes(55) }));
    expect(d.start.map((x) => x.timeoutMs)).toEqual([5 * 60_000, 5 * 60_000]);
  });

  it('propagates pipeline params, and the workspaces they use, into inline task specs', () => {
    // Only the workspaces the taskSpec refers to (Tekton's propagateWorkspaces): `unused` is not mounted.
    const s = spec(
      'params: [{name: url, default: u}]\nworkspaces: [{name: src}, {name: unused}]\ntasks: [{name: a, taskSpec: {steps: [{image: x, script: "echo $(params.url) $(workspaces.src.path)"}]}}]',
    );
    const [start] = decide(base({ spec: s })).start;
    expect(start.params).toEqual({ url: 'u' });
    expect(start.workspaces).toEqual([{ name: 'src', workspace: 'src' }]);
  });

  it('fans out a matrix and gathers its results', () => {
    const s = spec(`
tasks:
  - name: build
    taskRef: {name: t}
    params: [{name: mode, value: release}]
    matrix:
      params: [{name: os, value: [linux, mac]}, {name: arch, value: [amd64, arm64]}]
  - name: publish
    taskRef: {name: t}
    params: [{name: artifacts, value: "$(tasks.build.results.artifact[*])"}, {name: n, value: $(tasks.build.matrix.length)}, {name: m, value: $(tasks.build.matrix.artifact.length)}]
`);
    const first = decide(base({ spec: s }));
    expect(first.start.map((x) => `${x.taskRunName} ${x.params.os}/${x.params.arch} ${x.params.mode}`)).toEqual([
      'pr-build-0 linux/amd64 release',
      'pr-build-1 mac/amd64 release',
      'pr-build-2 linux/arm64 release',
      'pr-build-3 mac/arm64 release',
    ]);
    const runs = [0, 1, 2, 3].map((i) => ok('build', { artifact: `a${i}` }, { matrixIndex: i }));
    const partial = decide(base({ spec: s, taskRuns: [...runs.slice(0, 3), running('build', { matrixIndex: 3 })] }));
    expect(partial.start).toEqual([]);
    const next = decide(
      base({
        spec: s,
        taskSpecs: { build: { steps: [{ image: 'a' }], results: [{ name: 'artifact' }] } },
        taskRuns: [runs[2], runs[0], runs[3], runs[1]],
      }),
    );
    expect(next.start[0].params).toEqual({ artifacts: ['a0', 'a1', 'a2', 'a3'], n: '4', m: '4' });
  });

  it('retries only the failed matrix combination', () => {
    const s = spec('tasks: [{name: m, taskRef: {name: t}, retries: 1, matrix: {params: [{name: os, value: [a, b]}]}}]');
    const d = decide(base({ spec: s, taskRuns: [ok('m', {}, { matrixIndex: 0 }), failed('m', { matrixIndex: 1 })] }));
    expect(d.retry.map((r) => `${r.taskRunName} ${r.params.os} ${r.attempt}`)).toEqual(['pr-m-1 b 1']);
  });

  it('skips a matrix over an empty array', () => {
    const s = spec(
      'params: [{name: list, type: array, default: []}]\ntasks: [{name: m, taskRef: {name: t}, matrix: {params: [{name: os, value: $(params.list)}]}}]',
    );
    expect(decide(base({ spec: s })).skip).toEqual([{ name: 'm', reason: SkippingReason.EmptyArrayInMatrixParams }]);
  });

  it('reports pipeline results, leaving out those of failed or skipped tasks', () => {
    const d = decide(
      base({
        taskRuns: [ok('fetch', { sha: 'abc' }), ok('lint'), ok('test'), ok('notify'), ok('report')],
        skipped: [{ name: 'deploy', reason: SkippingReason.WhenExpressions }],
      }),
    );
    expect(d.finish?.results).toEqual([{ name: 'sha', value: 'abc' }]);
    expect(d.skippedTasks).toEqual([{ name: 'deploy', reason: SkippingReason.WhenExpressions }]);
  });

  it('is stable: the same state gives the same decision', () => {
    const input = base({ taskRuns: [ok('fetch', { sha: 'a' }), running('lint')] });
    expect(decide(input)).toEqual(decide(input));
  });
});
