import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VolumePlan } from '../../../lib/domain/pipeline/task-run-plan';
import { runPlan, step } from '../executor-local-helpers';

/**
 * Issue 13 review: bubblewrap runs as root and makes every missing mount point (folders and files)
 * and the working folder itself, following symlinks, with the host's root reachable at /oldroot while
 * it sets up. A step (or a sidecar running beside it) plants a symlink where a later mount point or
 * working folder lies; nothing may then appear, or change mode, outside the TaskRun's own folders.
 * `target` is a host folder outside every run folder that the planted links point at.
 */
let target: string;

beforeEach(async () => {
  target = await mkdtemp(path.join(os.tmpdir(), 'keelson-escape-target-'));
});
afterEach(async () => {
  await rm(target, { recursive: true, force: true });
});

async function expectTargetUntouched(): Promise<void> {
  expect(await readdir(target)).toEqual([]);
  expect((await stat(target)).mode & 0o7777).toBe(0o700);
}

const configMap: VolumePlan = { name: 'c', kind: 'files', files: [{ path: 'a', value: 'hello' }] };

/** A step plants `plant`, the next mounts the ConfigMap's file at `mountPath`. */
const fileMountAfter = (plant: string, mountPath: string) =>
  runPlan(
    {},
    [
      step('plant', { script: plant }),
      step('use', { script: 'echo used', volumeMounts: [{ volume: 'c', mountPath, subPath: 'a', readOnly: true }] }),
    ],
    { volumes: [configMap] },
  );

describe('a mount point bubblewrap would make through a planted symlink is never made outside the run', () => {
  it('a ConfigMap file mounted below a folder of /workspace an earlier step swapped for a symlink', async () => {
    const run = await fileMountAfter(`ln -s ../../oldroot${target} /workspace/evil`, '/workspace/evil/x/pwned');
    expect(run.outcome.steps[1].reason).toBe('Error');
    expect(run.outcome.steps[1].message).toMatch(/evil is a symlink/);
    expect(run.text).not.toContain('used');
    await expectTargetUntouched();
  });

  it('a ConfigMap file mounted where an earlier step left a dangling symlink in /tmp', async () => {
    const run = await fileMountAfter(`ln -s ../oldroot${target}/pwned /tmp/cfg`, '/tmp/cfg');
    expect(run.outcome.steps[1].reason).toBe('Error');
    expect(run.outcome.steps[1].message).toMatch(/cfg is a symlink/);
    expect(run.text).not.toContain('used');
    await expectTargetUntouched();
  });

  it('a ConfigMap file mounted at a fresh place in /workspace is still mounted, and read', async () => {
    const run = await runPlan(
      {},
      [
        step('use', {
          script: 'cat /workspace/conf/d/app.conf; echo',
          volumeMounts: [{ volume: 'c', mountPath: '/workspace/conf/d/app.conf', subPath: 'a', readOnly: true }],
        }),
      ],
      { volumes: [configMap] },
    );
    expect(run.outcome.steps[0].reason).toBe('Completed');
    expect(run.text).toContain('hello');
  });
});

describe('a workingDir in /tmp or /var/tmp is made by the worker without following a planted symlink', () => {
  it('below a symlink an earlier step planted in /tmp', async () => {
    const run = await runPlan({ stepNetwork: 'none' }, [
      step('plant', { script: `ln -s ../../oldroot${target} /tmp/evil; ln -s ../../oldroot${target} /tmp/here` }),
      step('use', { script: 'echo ran-use', workingDir: '/tmp/evil/wd', onError: 'continue' }),
      step('use2', { script: 'echo ran-use2', workingDir: '/var/tmp/evil/wd2', onError: 'continue' }),
      step('use3', { script: 'echo ran-use3', workingDir: '/tmp/here', onError: 'continue' }),
    ]);
    for (const s of run.outcome.steps.slice(1)) expect(s.message).toMatch(/is a symlink/);
    expect(run.text.filter((t) => t.startsWith('ran-'))).toEqual([]);
    await expectTargetUntouched();
  });

  it('a fresh workingDir in /tmp or /var/tmp is made, and the step runs in it', async () => {
    const run = await runPlan({ stepNetwork: 'none' }, [
      step('a', { script: 'pwd; touch mine', workingDir: '/tmp/wd/deep' }),
      step('b', { script: 'pwd; ls /tmp/wd/deep', workingDir: '/var/tmp/wd2' }),
    ]);
    expect(run.outcome.steps.map((s) => s.reason)).toEqual(['Completed', 'Completed']);
    expect(run.text).toEqual(expect.arrayContaining(['/tmp/wd/deep', 'mine']));
  });
});

describe('sidecars run while bubblewrap sets a step up, so nested mount points cannot be checked safely', () => {
  it('a TaskRun with sidecars and a mount point below a folder steps write is refused before it starts', async () => {
    const steps = Array.from({ length: 4 }, (_, i) =>
      step(`use${i}`, {
        onError: 'continue',
        script: 'sleep 0.3; echo ran',
        volumeMounts: [{ volume: 'e', mountPath: `/workspace/a/b${i}`, readOnly: false }],
      }),
    );
    const run = await runPlan({}, steps, {
      volumes: [{ name: 'e', kind: 'emptyDir' }],
      sidecars: [
        {
          name: 'racer',
          script: `#!/usr/bin/env python3
import os, time
end = time.time() + 20
n = 0
while time.time() < end:
    try:
        if os.path.isdir('/workspace/a') and not os.path.islink('/workspace/a'):
            n += 1
            os.rename('/workspace/a', '/workspace/old%d' % n)
            os.symlink('../../oldroot${target}', '/workspace/a')
            time.sleep(0.05)
            os.unlink('/workspace/a'); os.mkdir('/workspace/a')
    except OSError:
        pass
`,
        },
      ],
    });
    expect(run.outcome.reason).toBe('SidecarsUnsupported');
    expect(run.outcome.message).toMatch(/\/workspace\/a\/b0/);
    expect(run.text).not.toContain('ran');
    await expectTargetUntouched();
  });

  it('a folder mounted right in /workspace for a step alone is refused with sidecars: one could swap it for a link to /etc', async () => {
    const run = await runPlan(
      {},
      [
        step('use', {
          script: 'echo ran',
          volumeMounts: [{ volume: 'e', mountPath: '/workspace/cache', readOnly: false }],
        }),
      ],
      { volumes: [{ name: 'e', kind: 'emptyDir' }], sidecars: [{ name: 'svc', script: 'sleep 5' }] },
    );
    expect(run.outcome.reason).toBe('SidecarsUnsupported');
    expect(run.outcome.message).toMatch(/\/workspace\/cache in \/workspace, which not every sidecar mounts too/);
    expect(run.text).not.toContain('ran');
  });

  it('the same folder runs when every sidecar mounts it too, or when it has a folder of its own', async () => {
    const mount = { volume: 'e', mountPath: '/workspace/cache', readOnly: false };
    const run = await runPlan({}, [step('use', { script: 'echo ran', volumeMounts: [mount] })], {
      volumes: [{ name: 'e', kind: 'emptyDir' }],
      sidecars: [{ name: 'svc', script: 'sleep 5', volumeMounts: [mount] }],
    });
    expect(run.outcome.status).toBe('Succeeded');
    const own = await runPlan(
      {},
      [step('use', { script: 'echo ran', volumeMounts: [{ ...mount, mountPath: '/cache' }] })],
      { volumes: [{ name: 'e', kind: 'emptyDir' }], sidecars: [{ name: 'svc', script: 'sleep 5' }] },
    );
    expect(own.outcome.status).toBe('Succeeded');
    expect(own.text).toContain('ran');
  });

  it('a TaskRun with sidecars and workspaces at their usual places still runs', async () => {
    const run = await runPlan({}, [step('s', { script: 'ls -d /workspace/source && echo ok' })], {
      sidecars: [{ name: 'svc', script: 'sleep 5' }],
    });
    expect(run.outcome.status).toBe('Succeeded');
    expect(run.text).toContain('ok');
  });
});
