import { describe, expect, it } from 'vitest';
import type { StepPlan, TaskRunPlan } from '../../../lib/domain/pipeline/task-run-plan';
import { runPlan, step, type Run } from '../executor-local-helpers';
import { child, logLines, start, useHarness, waitForRun } from '../pipeline-semantics-support';

/**
 * Issue 13, finding F4: the worker opens and writes files a step names or may have replaced (its
 * stdoutConfig/stderrConfig files, the exitCode file, results) from its one event-loop thread. A
 * step that plants a FIFO, a device symlink or a huge file there must not stall that thread: its
 * TaskRun ends within its timeout with a clear message, and a TaskRun beside it on the same
 * executor host still completes, its logs and timers still running meanwhile.
 */

const TIMEOUT_MS = 20_000;
const h = useHarness({ executor: { stepNetwork: 'none' } });

/** Runs the attack and an ordinary TaskRun side by side, counting event-loop ticks meanwhile. */
async function besideAnother(
  steps: StepPlan[],
  extra: Partial<TaskRunPlan> = {},
  network: 'none' | 'outbound' = 'none',
): Promise<{ attack: Run; other: Run; ticks: number }> {
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 100);
  try {
    const [attack, other] = await Promise.all([
      runPlan({ stepNetwork: network }, steps, { timeoutMs: TIMEOUT_MS, ...extra }),
      runPlan({ stepNetwork: 'none' }, [step('other', { script: 'sleep 1; echo other-done' })], {
        taskRunName: 'tr-other',
        timeoutMs: TIMEOUT_MS,
      }),
    ]);
    return { attack, other, ticks };
  } finally {
    clearInterval(ticker);
  }
}

function expectOtherFine(r: { attack: Run; other: Run; ticks: number }): void {
  expect(r.other.outcome.status).toBe('Succeeded');
  expect(r.other.text).toContain('other-done');
  expect(r.attack.elapsedMs).toBeLessThan(TIMEOUT_MS);
  // The event loop ran all along: at least one tick per half second of the attack.
  expect(r.ticks).toBeGreaterThan(Math.floor(r.attack.elapsedMs / 500));
}

const stepsOf = (run: Run) => run.outcome.steps.map((s) => [s.name, s.reason, s.exitCode]);

const PLANTED = ['plant', 'Completed', 0];
const REFUSED = ['write', 'Error', 1];

describe('a FIFO a step plants where the worker writes', () => {
  const outputCases: [string, StepPlan[], Partial<TaskRunPlan>, 'none' | 'outbound', RegExp, unknown[]][] = [
    [
      'as its stdoutConfig.path',
      [
        step('plant', { script: 'mkfifo /workspace/out' }),
        step('write', { script: 'echo hello', stdoutPath: '/workspace/out' }),
      ],
      {},
      'none',
      /stdoutConfig\.path "\/workspace\/out" cannot be written: \/workspace\/out is not a regular file/,
      [PLANTED, REFUSED],
    ],
    [
      'as its stderrConfig.path in /tekton/results',
      [
        step('plant', { script: 'mkfifo /tekton/results/err' }),
        step('write', { script: 'echo oops >&2', stderrPath: '/tekton/results/err' }),
      ],
      {},
      'none',
      /stderrConfig\.path "\/tekton\/results\/err" cannot be written: \/tekton\/results\/err is not a regular file/,
      [PLANTED, REFUSED],
    ],
    [
      // Opening it then succeeds at once; writing would wait once the pipe is full.
      'as its stdoutConfig.path while a sidecar holds it open for reading',
      [
        step('plant', { script: 'for i in $(seq 100); do [ -p /workspace/out ] && exit 0; sleep 0.1; done; exit 1' }),
        step('write', { script: 'head -c 1000000 /dev/zero', stdoutPath: '/workspace/out' }),
      ],
      {
        sidecars: [
          {
            name: 'reader',
            script: 'mkfifo /workspace/o.tmp && mv /workspace/o.tmp /workspace/out; exec 3<>/workspace/out; sleep 60',
          },
        ],
      },
      // Sidecars run only when steps share the TaskRun's network.
      'outbound',
      /stdoutConfig\.path "\/workspace\/out" cannot be written: \/workspace\/out is not a regular file/,
      [PLANTED, REFUSED],
    ],
  ];
  it.each(outputCases)(
    '%s: the step fails, saying the path is not a regular file',
    async (_label, steps, extra, network, message, outcomes) => {
      const r = await besideAnother(steps, extra, network);
      expect(r.attack.outcome.status).toBe('Failed');
      expect(r.attack.outcome.message).toMatch(message);
      expect(stepsOf(r.attack)).toEqual(outcomes);
      expectOtherFine(r);
    },
  );

  it('as the exitCode file of a later step: the TaskRun records its exit code anyway and goes on', async () => {
    const r = await besideAnother([
      step('plant', { script: 'mkdir -p /tekton/steps/step-write && mkfifo /tekton/steps/step-write/exitCode' }),
      step('write', { script: 'exit 3', onError: 'continue' }),
      step('after', { script: 'echo after-ran' }),
    ]);
    expect(stepsOf(r.attack)).toEqual([
      ['plant', 'Completed', 0],
      ['write', 'Error', 3],
      ['after', 'Completed', 0],
    ]);
    expect(r.attack.outcome.status).toBe('Succeeded');
    expect(r.attack.text).toContain('after-ran');
    expect(r.attack.text.join('\n')).toMatch(/exitCode file .*not written: .*not a regular file/);
    expectOtherFine(r);
  });

  it("in place of a later step's /tekton/steps folder: no hang, the exit code is still recorded", async () => {
    const r = await besideAnother([
      step('plant', { script: 'mkfifo /tekton/steps/step-write' }),
      step('write', { script: 'echo wrote' }),
    ]);
    expect(stepsOf(r.attack)).toEqual([
      ['plant', 'Completed', 0],
      ['write', 'Completed', 0],
    ]);
    expect(r.attack.text.join('\n')).toMatch(/exitCode file .*not written: .*not a folder/);
    expectOtherFine(r);
  });
});

describe('results a step leaves as a FIFO, a device symlink or a huge file', () => {
  it('a task result: a FIFO and a /dev/zero symlink are left out, a huge sparse file fails the TaskRun', async () => {
    const r = await besideAnother(
      [
        step('plant', {
          script: [
            'mkfifo /tekton/results/fifo',
            'ln -s /dev/zero /tekton/results/zero',
            'truncate -s 8G /tekton/results/huge',
            'printf ok > /tekton/results/fine',
          ].join('\n'),
        }),
      ],
      { resultNames: ['fifo', 'zero', 'huge', 'fine'] },
    );
    expect(r.attack.outcome.status).toBe('Failed');
    expect(r.attack.outcome.message).toMatch(/result "huge" \(8589934592 bytes\) exceeds the 4096-byte limit/);
    expect(r.attack.outcome.results).toEqual({ fine: 'ok' });
    expectOtherFine(r);
  });

  it('a step result: a FIFO is left out, a later step still runs', async () => {
    const r = await besideAnother([
      step('plant', {
        script: 'mkfifo /tekton/steps/step-plant/results/r; printf ok > /tekton/steps/step-plant/results/s',
        results: [
          { name: 'r', type: 'string' },
          { name: 's', type: 'string' },
        ],
      }),
      step('after', { script: 'echo after-ran' }),
    ]);
    expect(r.attack.outcome.status).toBe('Succeeded');
    expect(r.attack.outcome.steps[0].results).toEqual({ s: 'ok' });
    expect(r.attack.text).toContain('after-ran');
    expectOtherFine(r);
  });
});

describe('on the engine', () => {
  it('a PipelineRun whose tasks plant FIFOs ends, and its other task completes', async () => {
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: fifo-engine }
spec:
  pipelineSpec:
    tasks:
      - name: out
        taskSpec:
          steps:
            - { name: plant, image: alpine, script: mkfifo /workspace/out }
            - { name: write, image: alpine, stdoutConfig: { path: /workspace/out }, script: echo hello }
      - name: exit
        taskSpec:
          steps:
            - { name: plant, image: alpine, script: 'mkdir -p /tekton/steps/step-write && mkfifo /tekton/steps/step-write/exitCode' }
            - { name: write, image: alpine, script: echo wrote }
      - name: fine
        taskSpec:
          steps:
            - { name: s, image: alpine, script: 'sleep 1; echo fine-done' }
`,
    );
    const done = await waitForRun(h, run.id, 45_000);
    expect(done.completedAt).not.toBeNull();
    expect(done.status.conditions[0]).toMatchObject({ status: 'False' });
    const out = await child(h, run.id, 'out');
    expect(out.status.conditions[0].status).toBe('False');
    expect(out.status.conditions[0].message).toMatch(
      /stdoutConfig\.path "\/workspace\/out" cannot be written: \/workspace\/out is not a regular file/,
    );
    // The step is told the path it named, not where the worker keeps it.
    expect(out.status.conditions[0].message).not.toContain(h.ed.runsDir);
    const exit = await child(h, run.id, 'exit');
    expect(exit.status.conditions[0].status).toBe('True');
    expect((await logLines(h, exit.id)).join('\n')).toMatch(
      /exitCode file \/tekton\/steps\/step-write\/exitCode not written: \/tekton\/steps\/step-write\/exitCode is not a regular file/,
    );
    const fine = await child(h, run.id, 'fine');
    expect(fine.status.conditions[0].status).toBe('True');
    expect(await logLines(h, fine.id)).toContain('fine-done');
  });
});
