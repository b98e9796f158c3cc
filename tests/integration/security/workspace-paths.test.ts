import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitions, pipelineRuns, taskRuns } from '../../../lib/adapters/db/schema';
import { systemEntries, SYSTEM_DIRS } from '../../../lib/adapters/executors/local/detect-bwrap';
import { pipelineRunFolder } from '../../../lib/domain/pipeline/run-folders';
import type { PathMapping } from '../../../lib/adapters/executors/local/path-rewrite';
import { sandboxed } from '../../../lib/adapters/executors/local/run-step';
import { Spawner, type HelperKind } from '../../../lib/adapters/executors/local/spawner';
import { pinWorkspaceMounts } from '../../../lib/adapters/executors/local/workspace-folders';
import { apply, children, logLines, rejection, start, useHarness, waitForRun } from '../pipeline-semantics-support';

/**
 * Issue 10, hole 2: a step must never reach the data dir through a workspace. The harness keeps
 * `runs/` and `volumes/` in a temporary folder; that folder plays the data dir here, with a planted
 * `secret-key` and `postgres-password` next to them, as in a real installation.
 */
// Steps here need no network; KEELSON_STEP_NETWORK=none keeps each TaskRun on loopback only.
const h = useHarness({ executor: { stepNetwork: 'none' } });
let dataDir: string;
let token: string;
const planted = ['secret-key', 'postgres-password'];

beforeAll(async () => {
  dataDir = path.dirname(h.ed.runsDir);
  token = `planted-${randomUUID()}`;
  await mkdir(h.ed.runsDir, { recursive: true });
  await mkdir(h.ed.volumesDir, { recursive: true });
  for (const f of planted) await writeFile(path.join(dataDir, f), `${token}\n`, { mode: 0o600 });
});

/** What an attacker's step does with whatever a workspace shows it: read every secret it finds, write one. */
const probe = (dir: string) =>
  [
    `cat ${dir}/secret-key ${dir}/postgres-password 2>/dev/null || true`,
    `find ${dir}/ -maxdepth 3 -name secret-key -exec cat {} \\; 2>/dev/null || true`,
    `echo pwned > ${dir}/pwned 2>/dev/null || true`,
    `mkdir -p ${dir}/pwned-dir 2>/dev/null || true`,
  ].join('\n');

/** The data dir holds exactly what it held before, the planted files unchanged, and no step output anywhere leaks them. */
async function expectDataDirUntouched(runId?: string): Promise<void> {
  expect((await readdir(dataDir)).sort()).toEqual([...planted, 'runs', 'volumes'].sort());
  for (const f of planted) expect(await readFile(path.join(dataDir, f), 'utf8')).toBe(`${token}\n`);
  if (!runId) return;
  for (const tr of await children(h, runId)) {
    expect((await logLines(h, tr.id)).join('\n')).not.toContain(token);
    expect(JSON.stringify(tr.status)).not.toContain(token);
  }
}

const rows = async () => ({
  pipelineRuns: (await h.t.handle.db.select({ n: count() }).from(pipelineRuns))[0].n,
  taskRuns: (await h.t.handle.db.select({ n: count() }).from(taskRuns))[0].n,
  definitions: (await h.t.handle.db.select({ n: count() }).from(definitions))[0].n,
});

const step = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'alpine',
  script,
  ...extra,
});

/** A PipelineRun binding `bindings`, whose pipeline declares them all and runs `tasks`. */
function run(
  name: string,
  bindings: Record<string, unknown>[],
  tasks: Record<string, unknown>[],
  params: { name: string; value: string }[] = [],
) {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name },
    spec: {
      params,
      workspaces: bindings,
      pipelineSpec: {
        params: params.map((p) => ({ name: p.name })),
        workspaces: bindings.map((b) => ({ name: b.name })),
        tasks,
      },
    },
  };
}

/** A pipeline task binding pipeline workspace `ws` as `source` (with `subPath`), running `steps`. */
function task(name: string, steps: unknown[], opts: { subPath?: string; ws?: string; runAfter?: string[] } = {}) {
  return {
    name,
    ...(opts.runAfter ? { runAfter: opts.runAfter } : {}),
    workspaces: [
      { name: 'source', workspace: opts.ws ?? 'ws', ...(opts.subPath !== undefined ? { subPath: opts.subPath } : {}) },
    ],
    taskSpec: { workspaces: [{ name: 'source' }], steps },
  };
}

const pvc = (claimName: string, subPath?: string) => ({
  name: 'ws',
  persistentVolumeClaim: { claimName },
  ...(subPath !== undefined ? { subPath } : {}),
});
const emptyDir = (subPath?: string) => ({ name: 'ws', emptyDir: {}, ...(subPath !== undefined ? { subPath } : {}) });
const taskRun = (name: string, bindings: Record<string, unknown>[], taskSpec: Record<string, unknown>) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name },
  spec: { workspaces: bindings, taskSpec },
});
const reader = [step('probe', probe('/workspace/source'))];

describe('apply refuses every path trick with the field path, and stores nothing', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'claimName ".."',
      () => run('claim-dotdot', [pvc('..')], [task('t', reader)]),
      'documents[0].spec.workspaces[0].persistentVolumeClaim.claimName',
    ],
    [
      'claimName "."',
      () => run('claim-dot', [pvc('.')], [task('t', reader)]),
      'documents[0].spec.workspaces[0].persistentVolumeClaim.claimName',
    ],
    [
      'claimName "../volumes"',
      () => run('claim-slash', [pvc('../volumes')], [task('t', reader)]),
      'documents[0].spec.workspaces[0].persistentVolumeClaim.claimName',
    ],
    [
      'claimName "%2e%2e"',
      () => run('claim-encoded', [pvc('%2e%2e')], [task('t', reader)]),
      'documents[0].spec.workspaces[0].persistentVolumeClaim.claimName',
    ],
    [
      'a 64-character claimName',
      () => run('claim-long', [pvc('a'.repeat(64))], [task('t', reader)]),
      'documents[0].spec.workspaces[0].persistentVolumeClaim.claimName',
    ],
    [
      'pipeline task subPath "../../../.."',
      () => run('task-subpath', [emptyDir()], [task('t', reader, { subPath: '../../../..' })]),
      'documents[0].spec.pipelineSpec.tasks[0].workspaces[0].subPath',
    ],
    [
      'pipeline task subPath ".." around a param',
      () =>
        run(
          'task-subpath-param',
          [emptyDir()],
          [task('t', reader, { subPath: '$(params.p)/../..' })],
          [{ name: 'p', value: 'x' }],
        ),
      'documents[0].spec.pipelineSpec.tasks[0].workspaces[0].subPath',
    ],
    [
      'binding subPath "a/../../.."',
      () => run('bind-subpath', [emptyDir('a/../../..')], [task('t', reader)]),
      'documents[0].spec.workspaces[0].subPath',
    ],
    [
      'absolute binding subPath',
      () => run('bind-absolute', [pvc('cache', '/etc')], [task('t', reader)]),
      'documents[0].spec.workspaces[0].subPath',
    ],
    [
      'backslash subPath',
      () => run('bind-backslash', [pvc('cache', '..\\..\\secret-key')], [task('t', reader)]),
      'documents[0].spec.workspaces[0].subPath',
    ],
    [
      'NUL byte in a subPath',
      () => run('bind-nul', [pvc('cache', 'a\u0000/../..')], [task('t', reader)]),
      'documents[0].spec.workspaces[0].subPath',
    ],
    [
      '256-byte subPath segment',
      () => run('bind-long', [pvc('cache', 'a'.repeat(256))], [task('t', reader)]),
      'documents[0].spec.workspaces[0].subPath',
    ],
    [
      'TaskRun binding subPath "../.."',
      () =>
        taskRun('tr-subpath', [{ name: 'source', emptyDir: {}, subPath: '../..' }], {
          workspaces: [{ name: 'source' }],
          steps: reader,
        }),
      'documents[0].spec.workspaces[0].subPath',
    ],
    [
      'TaskRun binding named ".."',
      () => taskRun('tr-name', [{ name: '..', emptyDir: {} }], { steps: reader }),
      'documents[0].spec.workspaces[0].name',
    ],
    [
      'pipeline task workspace named "../.."',
      () =>
        run(
          'task-ws-name',
          [emptyDir()],
          [{ ...task('t', reader), workspaces: [{ name: '../..', workspace: 'ws' }], taskSpec: { steps: reader } }],
        ),
      'documents[0].spec.pipelineSpec.tasks[0].workspaces[0].name',
    ],
    [
      'Task workspace mountPath over /tekton',
      () =>
        taskRun('tr-mount', [{ name: 'source', emptyDir: {} }], {
          workspaces: [{ name: 'source', mountPath: '/tekton/scripts' }],
          steps: reader,
        }),
      'documents[0].spec.taskSpec.workspaces[0].mountPath',
    ],
    [
      'relative Task workspace mountPath',
      () =>
        taskRun('tr-mount-rel', [{ name: 'source', emptyDir: {} }], {
          workspaces: [{ name: 'source', mountPath: '../../data' }],
          steps: reader,
        }),
      'documents[0].spec.taskSpec.workspaces[0].mountPath',
    ],
    [
      'Task workspace mountPath inside another workspace',
      () =>
        taskRun(
          'tr-mount-nested',
          [
            { name: 'a', emptyDir: {} },
            { name: 'b', emptyDir: {} },
          ],
          {
            workspaces: [
              { name: 'a', mountPath: '/cache' },
              { name: 'b', mountPath: '/cache/link/b' },
            ],
            steps: reader,
          },
        ),
      'documents[0].spec.taskSpec.workspaces[1].mountPath',
    ],
    [
      'NUL byte in a workingDir',
      () => taskRun('tr-workdir', [], { steps: [step('s', 'true', { workingDir: '/workspace/a\u0000b' })] }),
      'documents[0].spec.taskSpec.steps[0].workingDir',
    ],
    [
      'Secret items[].path "../../../../planted"',
      () => [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { k: 'v' } },
        run(
          'items-secret',
          [{ name: 'ws', secret: { secretName: 'creds', items: [{ key: 'k', path: '../../../../planted' }] } }],
          [task('t', reader)],
        ),
      ],
      'documents[1].spec.workspaces[0].secret.items[0].path',
    ],
    [
      'absolute ConfigMap items[].path',
      () => [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { k: 'v' } },
        run(
          'items-config',
          [{ name: 'ws', configMap: { name: 'cfg', items: [{ key: 'k', path: `${'/tmp'}/planted` }] } }],
          [task('t', reader)],
        ),
      ],
      'documents[1].spec.workspaces[0].configMap.items[0].path',
    ],
    [
      'a stored Pipeline with subPath ".."',
      () => ({
        apiVersion: 'tekton.dev/v1',
        kind: 'Pipeline',
        metadata: { name: 'stored-escape' },
        spec: { workspaces: [{ name: 'ws' }], tasks: [task('t', reader, { subPath: '..' })] },
      }),
      'documents[0].spec.tasks[0].workspaces[0].subPath',
    ],
  ];

  it.each(cases)('%s', async (_label, doc, field) => {
    const before = await rows();
    const err = await rejection(apply(h, doc()));
    expect(err.status).toBe(400);
    const issue = err.details.issues?.find((i) => i.path === field);
    expect(issue, `issues: ${JSON.stringify(err.details.issues)}`).toBeDefined();
    expect(issue!.message.length).toBeGreaterThan(20);
    expect(await rows()).toEqual(before);
    await expectDataDirUntouched();
  });
});

describe('runs never reach the data dir', () => {
  it('refuses a subPath that only becomes "../../../.." when a param is substituted', async () => {
    const started = await start(
      h,
      run(
        'param-escape',
        [emptyDir()],
        [task('t', reader, { subPath: '$(params.p)' })],
        [{ name: 'p', value: '../../../..' }],
      ),
    );
    const done = await waitForRun(h, started.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'False' });
    const [tr] = await children(h, started.id);
    expect(tr.status.conditions[0]).toMatchObject({
      status: 'False',
      message: expect.stringMatching(/subPath of workspace "source" "\.\.\/\.\.\/\.\.\/\.\." contains "\.\."/),
    });
    await expectDataDirUntouched(started.id);
  });

  it("refuses a symlink one task plants in an emptyDir as the next task's subPath, and creates nothing through it", async () => {
    const plant = task('plant', [
      step('ln', `ln -s ../../../.. /workspace/source/up\nln -s ${dataDir} /workspace/source/abs`),
    ]);
    const started = await start(
      h,
      run(
        'emptydir-symlink',
        [emptyDir()],
        [
          plant,
          task('use-up', reader, { subPath: 'up', runAfter: ['plant'] }),
          task('use-abs', reader, { subPath: 'abs/new-dir', runAfter: ['plant'] }),
        ],
      ),
    );
    const done = await waitForRun(h, started.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'False' });
    const states = Object.fromEntries(
      (await children(h, started.id)).map((c) => [c.pipelineTask, c.status.conditions[0]]),
    );
    expect(states.plant).toMatchObject({ status: 'True' });
    for (const t of ['use-up', 'use-abs'])
      expect(states[t]).toMatchObject({ status: 'False', message: expect.stringMatching(/symlink/) });
    await expectDataDirUntouched(started.id);
  });

  it('refuses a directory one run swapped for a symlink inside a PVC, when the next run binds it as subPath', async () => {
    const writer = [step('w', 'echo ok > /workspace/source/file && echo wrote')];
    const first = await start(h, run('swap-1', [pvc('shared', 'sub')], [task('t', writer)]));
    expect((await waitForRun(h, first.id)).status.conditions[0]).toMatchObject({ status: 'True' });
    expect(existsSync(path.join(h.ed.volumesDir, 'shared', 'sub', 'file'))).toBe(true);

    const swap = `cd /workspace/source && rm -rf sub && ln -s ../.. sub && ln -s ${dataDir} abs && ln -s ../../secret-key key`;
    const second = await start(h, run('swap-2', [pvc('shared')], [task('t', [step('swap', swap)])]));
    expect((await waitForRun(h, second.id)).status.conditions[0]).toMatchObject({ status: 'True' });

    for (const [i, sub] of ['sub', 'abs', 'sub/volumes', 'abs/made-by-worker'].entries()) {
      const third = await start(h, run(`swap-3-${i}`, [pvc('shared', sub)], [task('t', reader)]));
      const done = await waitForRun(h, third.id);
      expect(done.status.conditions[0]).toMatchObject({ status: 'False' });
      const [tr] = await children(h, third.id);
      expect(tr.status.conditions[0]).toMatchObject({
        status: 'False',
        message: expect.stringMatching(/is a symlink/),
      });
      await expectDataDirUntouched(third.id);
    }
  });

  it('never creates a workingDir on the host through symlinks a step created', async () => {
    const started = await start(
      h,
      run(
        'workdir-symlink',
        [emptyDir()],
        [
          task('t', [
            step(
              'plant',
              `ln -s ${dataDir} /workspace/source/out\nln -s ../../../.. /workspace/source/rel\nln -s ${dataDir} /workspace/shared-out\nln -s ${dataDir} /tekton/home/home-out`,
            ),
            step('abs', probe('.'), { workingDir: '/workspace/source/out/created-abs', onError: 'continue' }),
            step('rel', probe('.'), { workingDir: '/workspace/source/rel/created-rel', onError: 'continue' }),
            step('shared', probe('.'), { workingDir: '/workspace/shared-out/created-shared', onError: 'continue' }),
            step('home', probe('.'), { workingDir: '/tekton/home/home-out/created-home', onError: 'continue' }),
          ]),
        ],
      ),
    );
    const done = await waitForRun(h, started.id);
    const [tr] = await children(h, started.id);
    expect(tr.status.steps?.map((s) => s.terminated?.exitCode)).toEqual([0, 1, 1, 1, 1]);
    expect(done.status.conditions[0]).toBeDefined();
    await expectDataDirUntouched(started.id);
  });

  it('reads no result and writes no exit code or folder through symlinks a step created', async () => {
    const plant = [
      `ln -s ${dataDir}/secret-key $(results.stolen.path)`,
      `rm -rf /tekton/steps/step-first/results && ln -s ${dataDir} /tekton/steps/step-first/results`,
      `ln -s ${dataDir} /tekton/steps/step-second`,
    ].join('\n');
    const t = {
      name: 't',
      workspaces: [{ name: 'source', workspace: 'ws' }],
      taskSpec: {
        workspaces: [{ name: 'source' }],
        results: [{ name: 'stolen' }],
        steps: [
          step('first', plant, { results: [{ name: 'secret-key' }] }),
          step('second', 'true', { results: [{ name: 'r' }] }),
        ],
      },
    };
    const started = await start(h, run('results-symlink', [emptyDir()], [t]));
    await waitForRun(h, started.id);
    expect(existsSync(path.join(dataDir, 'exitCode'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'results'))).toBe(false);
    await expectDataDirUntouched(started.id);
  });

  it('takes an encoded or dotted subPath literally, inside its workspace', async () => {
    const started = await start(
      h,
      run(
        'encoded',
        [pvc('literal', './%2e%2e//%2e%2e/')],
        [task('t', [step('w', 'echo ok > /workspace/source/file')], { subPath: '%2e%2e%2fx' })],
      ),
    );
    const done = await waitForRun(h, started.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(
      await readFile(path.join(h.ed.volumesDir, 'literal', '%2e%2e', '%2e%2e', '%2e%2e%2fx', 'file'), 'utf8'),
    ).toBe('ok\n');
    await expectDataDirUntouched(started.id);
  });
});

describe('Secret workspaces', () => {
  it('are files only Keelson and the step user can read, and the step reads them', async () => {
    await apply(h, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ws-mode-secret' },
      stringData: { token: 'mode-test-token' },
    });
    const reads = step('s', 'test "$(cat /workspace/source/token)" = mode-test-token && echo read it');
    const started = await start(
      h,
      run('secret-modes', [{ name: 'ws', secret: { secretName: 'ws-mode-secret' } }], [task('t', [reads])]),
    );
    expect((await waitForRun(h, started.id)).status.conditions[0]).toMatchObject({ status: 'True' });
    const [tr] = await children(h, started.id);
    expect(await logLines(h, tr.id)).toEqual(['read it']);
    const file = await stat(path.join(h.ed.runsDir, pipelineRunFolder('secret-modes'), 'workspaces', 'ws', 'token'));
    const stepGid = Number(execFileSync('id', ['-g', 'keelson-step'], { encoding: 'utf8' }).trim());
    // Running as root: root's file, the step user's group may read it, nobody else.
    expect({ mode: (file.mode & 0o777).toString(8), uid: file.uid, gid: file.gid }).toEqual({
      mode: '640',
      uid: 0,
      gid: stepGid,
    });
  });
});

describe('a folder swapped for a symlink between the check and the mount', () => {
  /** What a step sees at /workspace/source, started by a spawner helper of `kind` as the executor does. */
  async function seenThrough(kind: HelperKind, mount: PathMapping): Promise<string[]> {
    const system = await systemEntries(SYSTEM_DIRS);
    const spec = sandboxed(
      'bwrap',
      undefined,
      {
        system,
        mounts: [mount],
        tmpHost: h.ed.runsDir,
        workingDir: '/',
        createWorkingDir: false,
        dropCapabilities: true,
        network: 'none',
        command: [
          'sh',
          '-c',
          'ls /workspace/source; n=0; for f in /proc/self/fd/*; do test -d "$f" && n=$((n+1)); done; echo "folders held: $n"',
        ],
      },
      { PATH: '/usr/bin:/bin' },
      '/',
    );
    return new Promise((resolve) => {
      let out = '';
      new Spawner(200, [kind]).start(spec, (e) => {
        if (e.t === 'out') out += Buffer.from(e.d).toString();
        if (e.t === 'close' || e.t === 'error' || e.t === 'thrown') resolve(out.trim().split('\n'));
      });
    });
  }

  it.each(['python', 'node'] as HelperKind[])(
    'is not what the step gets: the folder checked is bound from its open descriptor (%s spawner)',
    async (kind) => {
      const volume = path.join(h.ed.volumesDir, `race-${kind}`);
      await mkdir(path.join(volume, 'sub'), { recursive: true });
      await writeFile(path.join(volume, 'sub', 'checked-file'), 'checked\n');
      const mapping = { container: '/workspace/source', host: path.join(volume, 'sub'), root: volume, readOnly: true };
      const pinned = pinWorkspaceMounts([mapping]);
      if (typeof pinned === 'string') throw new Error(pinned);
      try {
        // Another TaskRun's step, writing the same volume, swaps the checked folder for a symlink to the data dir.
        await rename(path.join(volume, 'sub'), path.join(volume, 'moved'));
        await symlink(dataDir, path.join(volume, 'sub'));
        expect(await seenThrough(kind, mapping)).toContain('secret-key'); // bound by its path, as before: the swap wins
        // The checked folder; and the step holds no descriptor of it (bubblewrap closed it).
        expect(await seenThrough(kind, pinned.mappings[0])).toEqual(['checked-file', 'folders held: 0']);
      } finally {
        pinned.release();
      }
      // A symlink already there when the step starts is refused outright.
      expect(pinWorkspaceMounts([mapping])).toMatch(/sub is a symlink/);
    },
  );
});
