import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODES, runPlan, step, type Run } from '../executor-local-helpers';
import { child, logLines, start, useHarness, waitForRun } from '../pipeline-semantics-support';

/**
 * Issue 13: a TaskRun's failure message, its steps' messages and its logs are read by everyone who
 * can get the run. They name a path as the step sees it (`/workspace/…`, `/tmp/…`, a workspace by its
 * name), never the worker's folders: not the data dir, the runs folder, the run's own folder or a
 * volume's folder. The harness keeps the run, the workspace's volume and the data dir in one
 * temporary folder, which plays the data dir (hiddenPaths, as workers/pipelines.ts passes it).
 */
const bubblewrap = MODES[0];
const h = useHarness({ executor: { stepNetwork: 'none' } });

/** Everything a user reads about the run. */
function shown(run: Run): string {
  return [run.outcome.message, ...run.outcome.steps.map((s) => s.message ?? ''), ...run.text].join('\n');
}

/** The folder that holds the run, its workspace's volume and (here) plays the data dir. */
const dataDirOf = (run: Run) => path.dirname(run.workDir);

function expectNoHostPath(run: Run): void {
  const text = shown(run);
  for (const host of [dataDirOf(run), run.workDir, run.sourceDir]) expect(text).not.toContain(host);
  // Not even the temporary folder's own name.
  expect(text).not.toContain(path.basename(dataDirOf(run)));
}

describe('failure messages name paths as the step sees them (bubblewrap)', () => {
  /** The worker's options; `dataDir` as workers/pipelines.ts passes it (hiddenPaths). */
  const options = (dataDir?: string) => ({
    ...bubblewrap.options,
    stepNetwork: 'none' as const,
    hiddenPaths: dataDir ? [dataDir] : [],
  });

  it('a symlink planted on the way to a workingDir in /workspace is named /workspace/evil', async () => {
    const run = await runPlan(options(), [
      step('plant', { script: 'ln -s /tmp /workspace/evil' }),
      step('use', { script: 'echo never', workingDir: '/workspace/evil/sub' }),
    ]);
    expect(run.outcome.status).toBe('Failed');
    // Without hiddenPaths, the run's folders and the runs folder are still shown in the step's terms.
    expect(shown(run)).toContain('/workspace/evil is a symlink');
    expectNoHostPath(run);
  });

  it('a symlink where a volume is mounted is named by its mount path', async () => {
    const run = await runPlan(
      options(),
      [
        step('plant', { script: 'mkdir -p /workspace/conf && ln -s /tmp /workspace/conf/cache' }),
        step('use', {
          script: 'echo never',
          volumeMounts: [{ volume: 'cache', mountPath: '/workspace/conf/cache', readOnly: false }],
        }),
      ],
      { volumes: [{ name: 'cache', kind: 'emptyDir' }] },
    );
    expect(run.outcome.status).toBe('Failed');
    expect(shown(run)).toContain('/workspace/conf/cache is a symlink');
    expectNoHostPath(run);
  });

  it('a workspace subPath through a symlink is named by the workspace, not its volume folder', async () => {
    const probe = await runPlan(options(), [step('x', { script: 'true' })]);
    const volume = probe.sourceDir;
    await mkdir(path.join(volume, 'real'));
    await symlink(path.join(volume, 'real'), path.join(volume, 'sub'));
    const run = await runPlan(options(dataDirOf(probe)), [step('use', { script: 'echo never' })], {
      workspaces: [
        {
          name: 'data',
          mountPath: '/workspace/data',
          hostPath: path.join(volume, 'sub', 'deeper'),
          root: volume,
          readOnly: false,
        },
      ],
    });
    expect(run.outcome.status).toBe('Failed');
    expect(run.outcome.message).toContain('<workspace "data">/sub is a symlink');
    for (const host of [dataDirOf(probe), volume]) expect(shown(run)).not.toContain(host);
    expect(shown(run)).not.toContain(path.basename(dataDirOf(probe)));
  });

  it("bubblewrap's command line, which names the run's host folders, is not among the step's processes", async () => {
    // base64, so that rewriting the logs cannot hide what the step itself could read and send anywhere.
    const run = await runPlan(options(), [
      step('ps', { script: 'for p in /proc/[0-9]*; do cat $p/cmdline; echo; done | base64 -w0' }),
    ]);
    expect(run.outcome.status).toBe('Succeeded');
    const seen = Buffer.from(run.text.join(''), 'base64').toString('utf8');
    expect(seen).toContain('/tekton/scripts/script-0-ps');
    expect(seen).not.toContain('bwrap');
    expect(seen).not.toContain(run.workDir);
    expect(seen).not.toContain(dataDirOf(run));
  });
});

describe('through the engine, the stored TaskRun status and logs name no worker folder', () => {
  it('a workspace subPath through a symlink an earlier task planted', async () => {
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: host-paths-subpath }
spec:
  workspaces: [{ name: ws, volumeClaimTemplate: { spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Mi } } } } }]
  pipelineSpec:
    workspaces: [{ name: ws }]
    tasks:
      - name: plant
        workspaces: [{ name: source, workspace: ws }]
        taskSpec:
          workspaces: [{ name: source }]
          steps: [{ name: s, image: a, script: 'ln -s /tmp /workspace/source/evil; ls -la /workspace/source' }]
      - name: use
        runAfter: [plant]
        workspaces: [{ name: source, workspace: ws, subPath: evil/x }]
        taskSpec:
          workspaces: [{ name: source }]
          steps: [{ name: s, image: a, script: 'echo never' }]
`,
    );
    await waitForRun(h, run.id);
    const used = await child(h, run.id, 'use');
    const seen = [JSON.stringify(used.status), ...(await logLines(h, used.id))].join('\n');
    expect(JSON.stringify(used.status)).toContain('<workspace \\"source\\">/evil is a symlink');
    const dataDir = path.dirname(h.ed.runsDir);
    for (const host of [dataDir, h.ed.runsDir, h.ed.volumesDir, path.basename(dataDir)])
      expect(seen).not.toContain(host);
  });

  it('a persistentVolumeClaim subPath through a symlink an earlier run planted names the claim, not its folder', async () => {
    const pvc = (name: string, script: string, subPath = '') => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ${name} }
spec:
  workspaces: [{ name: ws, persistentVolumeClaim: { claimName: host-paths-cache }${subPath} }]
  pipelineSpec:
    workspaces: [{ name: ws }]
    tasks:
      - name: t
        workspaces: [{ name: source, workspace: ws }]
        taskSpec:
          workspaces: [{ name: source }]
          steps: [{ name: s, image: a, script: '${script}' }]
`;
    const plant = await start(h, pvc('host-paths-pvc-plant', 'ln -s /tmp /workspace/source/evil'));
    expect((await waitForRun(h, plant.id)).conditionReason).toBe('Succeeded');
    const use = await start(h, pvc('host-paths-pvc-use', 'echo never', ', subPath: evil/x'));
    await waitForRun(h, use.id);
    const used = await child(h, use.id, 't');
    const seen = [JSON.stringify(used.status), ...(await logLines(h, used.id))].join('\n');
    expect(JSON.stringify(used.status)).toContain('<persistentVolumeClaim \\"host-paths-cache\\">/evil is a symlink');
    const dataDir = path.dirname(h.ed.runsDir);
    for (const host of [dataDir, h.ed.runsDir, h.ed.volumesDir, path.basename(dataDir)])
      expect(seen).not.toContain(host);
  });
});
