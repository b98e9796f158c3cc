import { describe, expect, it } from 'vitest';
import type { StepPlan, TaskRunPlan } from '../task-run-plan';
import type { ContainerStatusLike, PodReading } from './pod-types';
import { readStepOutcomes } from './read-step-outcomes';

const step = (name: string, extra: Partial<StepPlan> = {}): StepPlan => ({
  name,
  env: {},
  onError: 'stopAndFail',
  ...extra,
});

const plan = (steps: StepPlan[], extra: Partial<TaskRunPlan> = {}): TaskRunPlan => ({
  taskRunName: 'ci-run-build',
  steps,
  workspaces: [],
  resultNames: [],
  secretsToMask: [],
  ...extra,
});

/** A terminated step container as the kubelet reports it, the message as the v1.15 entrypoint writes it. */
const ended = (
  name: string,
  exitCode: number,
  entries: { key: string; value: string; type: number }[],
  times = { startedAt: '2026-12-05T02:41:06Z', finishedAt: '2026-12-05T02:41:08Z' },
  reason = exitCode === 0 ? 'Completed' : 'Error',
): ContainerStatusLike => ({
  name,
  state: { terminated: { exitCode, reason, message: JSON.stringify(entries), ...times } },
});
const started = (at: string) => ({ key: 'StartedAt', value: at, type: 3 });
const running = (name: string, startedAt = '2026-12-05T02:41:05Z'): ContainerStatusLike => ({
  name,
  state: { running: { startedAt } },
});
const podOf = (statuses: ContainerStatusLike[], phase: 'Running' | 'Succeeded' | 'Failed' = 'Running'): PodReading => ({
  metadata: { name: 'ci-run-build-pod', labels: { 'tekton.dev/taskRun': 'ci-run-build' } },
  status: { phase, containerStatuses: statuses },
});

describe('readStepOutcomes', () => {
  it('reads results, step results and times from termination messages, the later step winning', () => {
    const p = plan([step('one', { results: [{ name: 'digest', type: 'string' }] }), step('two')], {
      resultNames: ['greeting', 'digest-copy'],
      resultsFromSteps: [{ name: 'digest-copy', value: '$(steps.one.results.digest)' }],
    });
    const reading = readStepOutcomes(
      p,
      podOf(
        [
          ended('step-one', 0, [
            { key: 'digest', value: 'sha256:abc', type: 4 },
            { key: 'greeting', value: 'first', type: 1 },
            started('2026-12-05T02:41:06.123Z'),
          ]),
          ended(
            'step-two',
            0,
            [{ key: 'greeting', value: 'hello from two\n', type: 1 }, started('2026-12-05T02:41:08.456Z')],
            {
              startedAt: '2026-12-05T02:41:06Z',
              finishedAt: '2026-12-05T02:41:09Z',
            },
          ),
        ],
        'Succeeded',
      ),
    );
    expect(reading.finished).toBe(true);
    expect(reading.failure).toBeUndefined();
    expect(reading.results).toEqual({ greeting: 'hello from two\n', 'digest-copy': 'sha256:abc' });
    expect(reading.steps).toEqual([
      {
        name: 'one',
        exitCode: 0,
        startedAt: new Date('2026-12-05T02:41:06.123Z'),
        finishedAt: new Date('2026-12-05T02:41:08Z'),
        reason: 'Completed',
        results: { digest: 'sha256:abc' },
      },
      {
        name: 'two',
        exitCode: 0,
        startedAt: new Date('2026-12-05T02:41:08.456Z'),
        finishedAt: new Date('2026-12-05T02:41:09Z'),
        reason: 'Completed',
      },
    ]);
  });

  it('fails on an exit code as the local executor words it, and skips the steps after it', () => {
    const reading = readStepOutcomes(
      plan([step('build'), step('test'), step('push')]),
      podOf(
        [
          ended('step-build', 3, [started('2026-12-05T02:41:06.100Z')]),
          ended('step-test', 1, [started('2026-12-05T02:41:07.000Z'), { key: 'Reason', value: 'Skipped', type: 3 }]),
          running('step-push'),
        ],
        'Running',
      ),
    );
    expect(reading.finished).toBe(true);
    expect(reading.failure).toEqual({ reason: 'Failed', message: '"build" exited with code 3' });
    expect(reading.steps.map((s) => [s.name, s.reason, s.exitCode, s.message])).toEqual([
      ['build', 'Error', 3, '"build" exited with code 3'],
      ['test', 'Skipped', null, undefined],
      ['push', 'Skipped', null, undefined],
    ]);
  });

  it('reports the real exit code of an onError: continue step (exit 0 + ExitCode entry) and goes on', () => {
    const reading = readStepOutcomes(
      plan([step('lint', { onError: 'continue' }), step('build')]),
      podOf(
        [
          ended('step-lint', 0, [started('2026-12-05T02:41:06.100Z'), { key: 'ExitCode', value: '5', type: 3 }]),
          ended('step-build', 0, [started('2026-12-05T02:41:07.100Z')]),
        ],
        'Succeeded',
      ),
    );
    expect(reading.failure).toBeUndefined();
    expect(reading.steps[0]).toMatchObject({
      reason: 'Error',
      exitCode: 5,
      message: '"lint" exited with code 5 (onError: continue)',
    });
    expect(reading.steps[1].reason).toBe('Completed');
  });

  it('maps a step timeout (Reason TimeoutExceeded) to TaskRunTimeout with the local message', () => {
    const reading = readStepOutcomes(
      plan([step('slow', { timeoutMs: 1000 }), step('after')]),
      podOf([
        ended('step-slow', 1, [
          started('2026-12-05T02:41:06.100Z'),
          { key: 'Reason', value: 'TimeoutExceeded', type: 3 },
        ]),
        running('step-after'),
      ]),
    );
    expect(reading.failure).toEqual({ reason: 'TaskRunTimeout', message: 'step "slow" timed out after 1s' });
    expect(reading.steps.map((s) => s.reason)).toEqual(['TimedOut', 'Skipped']);
  });

  it('says why a step was skipped by its when expressions, with earlier step results filled in', () => {
    const p = plan([
      step('check', { results: [{ name: 'go', type: 'string' }] }),
      step('deploy', { when: [{ input: '$(steps.check.results.go)', operator: 'in', values: ['yes'] }] }),
    ]);
    const reading = readStepOutcomes(
      p,
      podOf(
        [
          ended('step-check', 0, [{ key: 'go', value: 'no', type: 4 }, started('2026-12-05T02:41:06.100Z')]),
          ended('step-deploy', 0, [started('2026-12-05T02:41:07.100Z'), { key: 'Reason', value: 'Skipped', type: 3 }]),
        ],
        'Succeeded',
      ),
    );
    expect(reading.failure).toBeUndefined();
    expect(reading.steps[1]).toEqual({
      name: 'deploy',
      exitCode: null,
      startedAt: null,
      finishedAt: null,
      reason: 'Skipped',
      message: 'when expression "no" in ["yes"] was false, so the step was skipped',
    });
  });

  it('while running: the steps ended so far and the step running now', () => {
    const reading = readStepOutcomes(
      plan([step('a'), step('b'), step('c')]),
      podOf([
        ended('step-a', 0, [started('2026-12-05T02:41:06.100Z')], {
          startedAt: '2026-12-05T02:41:05Z',
          finishedAt: '2026-12-05T02:41:07Z',
        }),
        running('step-b', '2026-12-05T02:41:05Z'),
        running('step-c', '2026-12-05T02:41:05Z'),
      ]),
    );
    expect(reading.finished).toBe(false);
    expect(reading.steps.map((s) => s.name)).toEqual(['a']);
    // b's container started with the pod; b itself began when a ended.
    expect(reading.running).toEqual({ name: 'b', startedAt: new Date('2026-12-05T02:41:07Z') });
  });

  it('with sidecars, the first step runs only once the pod has the ready annotation', () => {
    const p = plan([step('a')], { sidecars: [{ name: 'db', image: 'postgres' }] });
    const statuses = [running('step-a', '2026-12-05T02:41:05Z')];
    expect(readStepOutcomes(p, podOf(statuses)).running).toBeUndefined();
    const ready = { ...podOf(statuses), metadata: { annotations: { 'tekton.dev/ready': 'READY' } } };
    expect(readStepOutcomes(p, ready).running).toEqual({ name: 'a', startedAt: new Date('2026-12-05T02:41:05Z') });
  });

  it('cancelled or timed out by the executor: the running step gets the local executor messages', () => {
    const p = plan([step('a'), step('b'), step('c')], { timeoutMs: 60_000 });
    const pod = podOf([
      ended('step-a', 0, [started('2026-12-05T02:41:06.100Z')]),
      running('step-b'),
      running('step-c'),
    ]);
    const cancelled = readStepOutcomes(p, pod, { stopped: 'cancel' });
    expect(cancelled.failure).toEqual({
      reason: 'TaskRunCancelled',
      message: 'TaskRun "ci-run-build" was cancelled while step "b" was running',
    });
    expect(cancelled.steps.map((s) => s.reason)).toEqual(['Completed', 'Cancelled', 'Skipped']);
    const timedOut = readStepOutcomes(p, pod, { stopped: 'timeout' });
    expect(timedOut.failure).toEqual({
      reason: 'TaskRunTimeout',
      message: 'TaskRun "ci-run-build" failed to finish within "1m0s"; step "b" was killed',
    });
    expect(timedOut.steps[1]).toMatchObject({ reason: 'TimedOut', exitCode: null });
    const early = readStepOutcomes(p, { status: { phase: 'Pending' } }, { stopped: 'cancel' });
    expect(early.failure).toEqual({ reason: 'TaskRunCancelled', message: 'TaskRun "ci-run-build" was cancelled' });
    expect(early.steps.map((s) => s.reason)).toEqual(['Skipped', 'Skipped', 'Skipped']);
  });

  it("a step the runtime could not start (StartError, ContainerCannotRun) fails with the runtime's own text", () => {
    const runc =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: ' +
      'unable to start container process: exec: "/tekton/bin/entrypoint": stat /tekton/bin/entrypoint: no such file or directory: unknown';
    const cannotStart = (reason: string, message: string): ContainerStatusLike => ({
      name: 'step-build',
      state: { terminated: { exitCode: 128, reason, message, startedAt: '1970-01-01T00:00:00Z' } },
    });
    for (const reason of ['StartError', 'ContainerCannotRun']) {
      const reading = readStepOutcomes(
        plan([step('build'), step('push')]),
        podOf([cannotStart(reason, `${runc}\n`)], 'Failed'),
      );
      const message = `"build" exited with code 128: ${reason}: ${runc}`;
      expect(reading.failure).toEqual({ reason: 'Failed', message });
      expect(reading.steps.map((s) => [s.name, s.reason, s.message])).toEqual([
        ['build', 'Error', message],
        ['push', 'Skipped', undefined],
      ]);
    }
    // Only those reasons: an entrypoint's JSON, or no text at all, adds nothing.
    const plain = readStepOutcomes(plan([step('build')]), podOf([cannotStart('StartError', '')], 'Failed'));
    expect(plain.failure?.message).toBe('"build" exited with code 128: StartError');
    const json = readStepOutcomes(plan([step('build')]), podOf([cannotStart('StartError', '[]')], 'Failed'));
    expect(json.failure?.message).toBe('"build" exited with code 128: StartError');
    const error = readStepOutcomes(plan([step('build')]), podOf([cannotStart('Error', 'some text')], 'Failed'));
    expect(error.failure?.message).toBe('"build" exited with code 128');
  });

  it('an OOM-killed step fails with the kubelet reason; an evicted pod fails with its message', () => {
    const oom = readStepOutcomes(
      plan([step('big')]),
      podOf([ended('step-big', 137, [], undefined, 'OOMKilled')], 'Failed'),
    );
    expect(oom.failure).toEqual({ reason: 'Failed', message: '"big" exited with code 137: OOMKilled' });
    const evicted = readStepOutcomes(plan([step('a'), step('b')]), {
      metadata: { labels: { 'tekton.dev/taskRun': 'ci-run-build' } },
      status: {
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: ephemeral-storage.',
        containerStatuses: [
          ended('step-a', 0, []),
          { name: 'step-b', state: { terminated: { exitCode: 137, reason: 'Error' } } },
        ].slice(0, 1),
      },
    });
    expect(evicted.finished).toBe(true);
    expect(evicted.failure).toEqual({
      reason: 'Failed',
      message: 'the pod of TaskRun "ci-run-build" was evicted: The node was low on resource: ephemeral-storage.',
    });
    expect(evicted.steps.map((s) => s.reason)).toEqual(['Completed', 'Skipped']);
  });

  it('an init container that failed fails the TaskRun, naming it', () => {
    const reading = readStepOutcomes(plan([step('a')]), {
      status: {
        phase: 'Failed',
        initContainerStatuses: [
          { name: 'prepare', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'place-scripts', state: { terminated: { exitCode: 1, reason: 'Error' } } },
        ],
        containerStatuses: [{ name: 'step-a', state: { waiting: { reason: 'PodInitializing' } } }],
      },
    });
    expect(reading.failure).toEqual({
      reason: 'Failed',
      message: 'init container failed, "place-scripts" exited with code 1',
    });
  });
});
