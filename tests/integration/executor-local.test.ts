import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalExecutor } from '../../lib/adapters/executors/local';
import { MODES, processesWith, runPlan, step } from './executor-local-helpers';
import { testLocalHost } from './support/local-host';

describe.each(MODES)('local executor ($mode)', ({ mode, options }) => {
  const sandbox = mode === 'bubblewrap' ? 'bubblewrap' : 'none';

  it('runs a script under /bin/sh with set -e: a failing middle command stops it and the steps after it', async () => {
    const run = await runPlan(options, [
      step('build', { script: 'echo one\nfalse\necho two' }),
      step('after', { script: 'echo after' }),
    ]);
    expect(run.outcome).toMatchObject({
      status: 'Failed',
      reason: 'Failed',
      message: '"build" exited with code 1',
      sandbox,
    });
    expect(run.text).toEqual(['one']);
    expect(run.outcome.steps.map((s) => [s.name, s.reason, s.exitCode])).toEqual([
      ['build', 'Error', 1],
      ['after', 'Skipped', null],
    ]);
    expect(run.events).toEqual(['started build', 'finished build Error']);
  });

  it('honours shebangs for bash, python3 and node', async () => {
    const run = await runPlan(options, [
      step('bash', { script: '#!/bin/bash\n[[ -n "$BASH_VERSION" ]] && echo "bash ok"' }),
      step('python', { script: '#!/usr/bin/env python3\nimport sys\nprint("python", sys.version_info[0])' }),
      step('node', { script: '#!/usr/bin/env node\nconsole.log("node", typeof process.version)' }),
    ]);
    expect(run.outcome).toMatchObject({ status: 'Succeeded', reason: 'Succeeded', sandbox });
    expect(run.text).toEqual(['bash ok', 'python 3', 'node string']);
    expect(
      run.outcome.steps.every((s) => s.reason === 'Completed' && s.exitCode === 0 && s.startedAt && s.finishedAt),
    ).toBe(true);
  });

  it('execs command + args with a PATH lookup, and env on top of a base env', async () => {
    const run = await runPlan(options, [
      step('printf', { command: ['printf'], args: ['%s-%s\\n', 'x', 'y'] }),
      step('env', { command: ['sh', '-c', 'echo "$GREETING $HOME"; test -n "$PATH"'], env: { GREETING: 'hi' } }),
    ]);
    expect(run.outcome.status).toBe('Succeeded');
    expect(run.text[0]).toBe('x-y');
    expect(run.text[1]).toMatch(/^hi .*\/home$/);
  });

  it('uses /workspace as the default working dir and creates a missing workingDir', async () => {
    const run = await runPlan(options, [
      step('default', { script: 'test "$(pwd)" = /workspace && test "$HOME" = /tekton/home && echo default ok' }),
      step('custom', {
        workingDir: '/workspace/source/sub/dir',
        script: 'test "$(pwd)" = /workspace/source/sub/dir && pwd > marker',
      }),
    ]);
    expect(run.outcome).toMatchObject({ status: 'Succeeded' });
    expect(run.text).toEqual(['default ok']);
    expect(existsSync(path.join(run.sourceDir, 'sub/dir/marker'))).toBe(true);
  });

  it('writes literal /workspace/source and /tekton/results paths unchanged, and reads results verbatim', async () => {
    const run = await runPlan(
      options,
      [
        step('write', {
          script: [
            'echo built > /workspace/source/artifact.txt',
            'printf "1.2.3" > /tekton/results/version',
            'echo \'["a","b"]\' > /tekton/results/files',
            'echo kept > /workspace/scratch',
          ].join('\n'),
        }),
        step('read', { script: 'cat /workspace/source/artifact.txt /workspace/scratch' }),
      ],
      { resultNames: ['version', 'files', 'never-written'] },
    );
    expect(run.outcome.status).toBe('Succeeded');
    expect(run.outcome.results).toEqual({ version: '1.2.3', files: '["a","b"]\n' });
    expect(JSON.parse(run.outcome.results.files)).toEqual(['a', 'b']);
    expect(await readFile(path.join(run.sourceDir, 'artifact.txt'), 'utf8')).toBe('built\n');
    expect(run.text).toEqual(['built', 'kept']);
  });

  it('fails the TaskRun when a result is over 4096 bytes', async () => {
    const run = await runPlan(
      options,
      [step('big', { script: 'head -c 5000 /dev/zero | tr "\\0" x > /tekton/results/big' })],
      { resultNames: ['big'] },
    );
    expect(run.outcome).toMatchObject({ status: 'Failed', reason: 'Failed' });
    expect(run.outcome.message).toMatch(/"big" \(5000 bytes\) exceeds the 4096-byte limit/);
  });

  it('continues after a step with onError continue and exposes its exit code to later steps', async () => {
    const run = await runPlan(options, [
      step('flaky', { script: 'exit 3', onError: 'continue' }),
      step('check', { script: 'echo "flaky said $(cat /tekton/steps/step-flaky/exitCode)"' }),
    ]);
    expect(run.outcome).toMatchObject({ status: 'Succeeded', reason: 'Succeeded' });
    expect(run.outcome.steps.map((s) => [s.name, s.reason, s.exitCode])).toEqual([
      ['flaky', 'Error', 3],
      ['check', 'Completed', 0],
    ]);
    expect(run.text).toEqual(['flaky said 3']);
  });

  it('kills a timed-out step with its child processes', async () => {
    const marker = `31.${process.pid}${Date.now() % 100000}`;
    const seen: number[][] = [];
    const poll = setInterval(() => void processesWith(marker).then((p) => seen.push(p)), 100);
    const run = await runPlan(options, [
      step('slow', { script: `sh -c "sleep ${marker}" &\nsleep 30`, timeoutMs: 1000 }),
      step('never', { script: 'echo never' }),
    ]);
    clearInterval(poll);
    expect(seen.some((p) => p.length > 0)).toBe(true);
    expect(await processesWith(marker)).toEqual([]);
    expect(run.elapsedMs).toBeLessThan(5000);
    expect(run.outcome).toMatchObject({
      status: 'Failed',
      reason: 'TaskRunTimeout',
      message: 'step "slow" timed out after 1s',
    });
    expect(run.outcome.steps.map((s) => s.reason)).toEqual(['TimedOut', 'Skipped']);
  });

  it('ends a step when its main process exits, taking background children with it', async () => {
    const marker = `32.${process.pid}${Date.now() % 100000}`;
    const run = await runPlan(options, [step('bg', { script: `sleep ${marker} &\necho spawned` })]);
    expect(run.outcome.status).toBe('Succeeded');
    expect(run.elapsedMs).toBeLessThan(5000);
    expect(await processesWith(marker)).toEqual([]);
  });

  it('stops the whole TaskRun at its timeout', async () => {
    const run = await runPlan(
      options,
      [step('quick', { script: 'true' }), step('slow', { script: 'sleep 30' }), step('never', { script: 'true' })],
      {
        timeoutMs: 1000,
      },
    );
    expect(run.elapsedMs).toBeLessThan(5000);
    expect(run.outcome).toMatchObject({ status: 'Failed', reason: 'TaskRunTimeout' });
    expect(run.outcome.message).toMatch(/^TaskRun "tr-test" failed to finish within "1s"; step "slow" was killed$/);
    expect(run.outcome.steps.map((s) => s.reason)).toEqual(['Completed', 'TimedOut', 'Skipped']);
  });

  it('cancels through the AbortSignal, killing the running step', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const run = await runPlan(
      options,
      [step('slow', { script: 'echo started\nsleep 30' }), step('never', { script: 'true' })],
      { signal: controller.signal },
    );
    expect(run.elapsedMs).toBeLessThan(5000);
    expect(run.outcome).toMatchObject({ status: 'Failed', reason: 'TaskRunCancelled' });
    expect(run.outcome.steps.map((s) => s.reason)).toEqual(['Cancelled', 'Skipped']);
    expect(run.text).toEqual(['started']);
  });

  it('skips every step when cancelled before it starts', async () => {
    const run = await runPlan(options, [step('a', { script: 'true' })], { signal: AbortSignal.abort() });
    expect(run.outcome).toMatchObject({ reason: 'TaskRunCancelled', steps: [{ name: 'a', reason: 'Skipped' }] });
  });

  it.each([
    [
      'a missing shebang interpreter',
      { script: '#!/usr/bin/no-such-interpreter\necho hi' },
      /interpreter "\/usr\/bin\/no-such-interpreter".*not found/,
    ],
    ['a command not on PATH', { command: ['no-such-command-xyz'] }, /command "no-such-command-xyz" was not found/],
    [
      'a missing interpreter behind env',
      { script: '#!/usr/bin/env no-such-interpreter\necho hi' },
      /exited with code 127/,
    ],
  ])('fails with exit code 127 and a clear message for %s', async (_name, fields, message) => {
    const run = await runPlan(options, [step('s', fields)]);
    expect(run.outcome).toMatchObject({
      status: 'Failed',
      reason: 'Failed',
      steps: [{ name: 's', exitCode: 127, reason: 'Error' }],
    });
    expect(run.outcome.message).toMatch(message);
    expect(run.text.join('\n')).toMatch(/no-such/);
  });

  it('masks secrets in logs, even when a line is written in pieces', async () => {
    const run = await runPlan(
      options,
      [
        step('leak', {
          env: { TOKEN: 'hunter2-secret' },
          script: 'echo "token=$TOKEN"\nprintf "hunter2-"; sleep 0.3; printf "secret\\n"',
        }),
      ],
      { secretsToMask: ['hunter2-secret'] },
    );
    expect(run.text).toEqual(['token=***', '***']);
    expect(JSON.stringify(run.batches)).not.toContain('hunter2');
  });

  it('delivers timestamped lines in order, within ~250 ms, while the step still runs', async () => {
    const run = await runPlan(options, [
      step('talk', {
        script:
          'echo first\nsleep 1\necho second\nfor i in $(seq 1 200); do echo "n$i"; echo "e$i" >&2; done\nprintf "no newline"',
      }),
    ]);
    const finishedAt = run.outcome.steps[0].finishedAt?.getTime() ?? 0;
    const first = run.batches.find((b) => b.lines.some((l) => l.text === 'first'));
    expect(first && first.receivedAt).toBeLessThan(finishedAt - 500);
    for (const batch of run.batches)
      for (const line of batch.lines) expect(batch.receivedAt - line.at.getTime()).toBeLessThan(300);
    const out = run.lines.filter((l) => l.stream === 'stdout').map((l) => l.text);
    expect(out).toEqual(['first', 'second', ...Array.from({ length: 200 }, (_, i) => `n${i + 1}`), 'no newline']);
    expect(run.lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(
      Array.from({ length: 200 }, (_, i) => `e${i + 1}`),
    );
    const times = run.lines.map((l) => l.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(run.lines.every((l) => l.step === 'talk')).toBe(true);
  });

  it('runs several TaskRuns at once without mixing their folders', async () => {
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        runPlan(
          options,
          [
            step('a', { script: `echo ${i} > /tekton/results/n` }),
            step('b', { script: '#!/bin/sh\ncat /tekton/results/n' }),
          ],
          { resultNames: ['n'] },
        ),
      ),
    );
    runs.forEach((run, i) => {
      expect(run.outcome.status).toBe('Succeeded');
      expect(run.outcome.results).toEqual({ n: `${i}\n` });
      expect(run.text).toEqual([String(i)]);
    });
  });

  it('splits \\r\\n output into clean lines', async () => {
    const run = await runPlan(options, [step('crlf', { command: ['printf'], args: ['a\\r\\nb\\r\\n'] })]);
    expect(run.text).toEqual(['a', 'b']);
  });
});

describe('local executor sandbox (bubblewrap)', () => {
  const options = MODES[0].options;

  it('cannot write outside its run folders, but can write its workspace', async () => {
    const marker = `keelson-${process.pid}-${Date.now()}`;
    const run = await runPlan(options, [
      step('escape', {
        onError: 'continue',
        script: [
          `for p in /usr/${marker} /etc/${marker} /opt/${marker}; do if touch "$p" 2>/dev/null; then echo "WROTE $p"; else echo "refused $p"; fi; done`,
          'mount -o remount,rw /usr 2>/dev/null && echo REMOUNTED || echo "no remount"',
          `echo private > /tmp/${marker}`,
          'echo ok > /workspace/source/inside',
        ].join('\n'),
      }),
    ]);
    expect(run.outcome.sandbox).toBe('bubblewrap');
    expect(run.text).toEqual([
      `refused /usr/${marker}`,
      `refused /etc/${marker}`,
      `refused /opt/${marker}`,
      'no remount',
    ]);
    for (const p of [`/usr/${marker}`, `/etc/${marker}`, `/opt/${marker}`, `/tmp/${marker}`])
      expect(existsSync(p)).toBe(false);
    expect(existsSync(path.join(run.workDir, 'tmp', marker))).toBe(true);
    expect(await readFile(path.join(run.sourceDir, 'inside'), 'utf8')).toBe('ok\n');
  });

  it('mounts a read-only workspace read-only and hides the worker home and checkout', async () => {
    const checkout = path.join(process.cwd(), 'package.json');
    expect(existsSync(checkout)).toBe(true);
    const run = await runPlan(
      options,
      [
        step('ro', {
          script: `touch /workspace/source/x 2>/dev/null && echo wrote || echo refused\nfor p in /root ${checkout}; do test -e "$p" && echo "visible $p" || echo hidden; done`,
        }),
      ],
      { sourceReadOnly: true },
    );
    expect(run.text).toEqual(['refused', 'hidden', 'hidden']);
  });

  it('falls back to plain processes, with a warning, when bubblewrap is missing and KEELSON_ALLOW_UNSANDBOXED is set', async () => {
    const options = { bwrapPath: '/nonexistent/bwrap', allowUnsandboxed: true };
    expect(await createLocalExecutor(testLocalHost, options).sandboxStatus()).toEqual({
      sandbox: 'none',
      warning: expect.stringMatching(/without a sandbox/),
    });
    const run = await runPlan(options, [step('a', { script: 'echo hi > /workspace/source/f' })]);
    expect(run.outcome).toMatchObject({ status: 'Succeeded', sandbox: 'none' });
    expect(await readFile(path.join(run.sourceDir, 'f'), 'utf8')).toBe('hi\n');
  });
});
