import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitions, pipelineRuns, taskRuns } from '../../../lib/adapters/db/schema';
import { apply, child, logLines, rejection, start, useHarness, waitForRun } from '../pipeline-semantics-support';

/**
 * Issue 13: a Task's `volumes` and `volumeMounts`, and a step's stdoutConfig/stderrConfig, must not
 * reach past their folders any more than workspaces do (issue 10, hole 2). The harness's temporary
 * folder plays the data dir, with a planted `secret-key` beside `runs/` and `volumes/`.
 */
const h = useHarness({ executor: { stepNetwork: 'none' } });
let dataDir: string;
let token: string;

beforeAll(async () => {
  dataDir = path.dirname(h.ed.runsDir);
  token = `planted-${randomUUID()}`;
  await mkdir(h.ed.runsDir, { recursive: true });
  await mkdir(h.ed.volumesDir, { recursive: true });
  await writeFile(path.join(dataDir, 'secret-key'), `${token}\n`, { mode: 0o600 });
});

/** The data dir holds what it held, the planted key unchanged, and no log or status of the run shows it. */
async function expectUntouched(runId: string, task = 't'): Promise<void> {
  expect((await readdir(dataDir)).sort()).toEqual(['runs', 'secret-key', 'volumes']);
  expect(await readFile(path.join(dataDir, 'secret-key'), 'utf8')).toBe(`${token}\n`);
  const t = await child(h, runId, task);
  expect((await logLines(h, t.id)).join('\n')).not.toContain(token);
  expect(JSON.stringify(t.status)).not.toContain(token);
}

const rows = async () => ({
  pipelineRuns: (await h.t.handle.db.select({ n: count() }).from(pipelineRuns))[0].n,
  taskRuns: (await h.t.handle.db.select({ n: count() }).from(taskRuns))[0].n,
  definitions: (await h.t.handle.db.select({ n: count() }).from(definitions))[0].n,
});

function oneTask(name: string, taskSpec: string): string {
  return `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ${name} }
spec:
  pipelineSpec:
    tasks:
      - name: t
        taskSpec:
${taskSpec}`;
}

describe('apply refuses volume path tricks with the field path, and stores nothing', () => {
  const cases: [string, string, string][] = [
    [
      'a hostPath volume on the data dir',
      `          volumes: [{ name: h, hostPath: { path: DATA } }]
          steps: [{ name: s, image: a, script: 'cat /h/secret-key', volumeMounts: [{ name: h, mountPath: /h }] }]
`,
      'documents[0].spec.pipelineSpec.tasks[0].taskSpec.volumes[0].hostPath',
    ],
    [
      'a subPath climbing out of the volume',
      `          volumes: [{ name: c, emptyDir: {} }]
          steps: [{ name: s, image: a, script: x, volumeMounts: [{ name: c, mountPath: /c, subPath: ../../../.. }] }]
`,
      'documents[0].spec.pipelineSpec.tasks[0].taskSpec.steps[0].volumeMounts[0].subPath',
    ],
    [
      'a mountPath over the executor’s own /tekton folders',
      `          volumes: [{ name: c, emptyDir: {} }]
          steps: [{ name: s, image: a, script: x, volumeMounts: [{ name: c, mountPath: /tekton/scripts }] }]
`,
      'documents[0].spec.pipelineSpec.tasks[0].taskSpec.steps[0].volumeMounts[0].mountPath',
    ],
    [
      'a mountPath over /tekton/results (only /tekton/home may take a volume)',
      `          volumes: [{ name: c }]
          steps: [{ name: s, image: a, script: x, volumeMounts: [{ name: c, mountPath: /tekton/results }] }]
`,
      'documents[0].spec.pipelineSpec.tasks[0].taskSpec.steps[0].volumeMounts[0].mountPath',
    ],
    [
      'a mountPath over /usr/bin, where the sandbox runs setpriv from as root',
      `          volumes: [{ name: c, emptyDir: {} }]
          steps: [{ name: s, image: a, script: x, volumeMounts: [{ name: c, mountPath: /usr/bin }] }]
`,
      'documents[0].spec.pipelineSpec.tasks[0].taskSpec.steps[0].volumeMounts[0].mountPath',
    ],
    [
      'a sidecar volumeMount over /etc, where the loader reads ld.so.preload',
      `          volumes: [{ name: c, emptyDir: {} }]
          sidecars: [{ image: a, script: x, volumeMounts: [{ name: c, mountPath: /etc }] }]
          steps: [{ name: s, image: a, script: x }]
`,
      'documents[0].spec.pipelineSpec.tasks[0].taskSpec.sidecars[0].volumeMounts[0].mountPath',
    ],
    [
      'a workspace mounted over /lib',
      `          workspaces: [{ name: w, mountPath: /lib }]
          steps: [{ name: s, image: a, script: x }]
`,
      'documents[0].spec.pipelineSpec.tasks[0].taskSpec.workspaces[0].mountPath',
    ],
    [
      'a ConfigMap item path climbing out of the volume',
      `          volumes: [{ name: c, configMap: { name: any, items: [{ key: k, path: ../../../secret-key }] } }]
          steps: [{ name: s, image: a, script: x, volumeMounts: [{ name: c, mountPath: /c }] }]
`,
      'documents[0].spec.pipelineSpec.tasks[0].taskSpec.volumes[0].configMap.items[0].path',
    ],
  ];
  it.each(cases)('%s', async (label, spec, field) => {
    const before = await rows();
    const err = await rejection(apply(h, oneTask(`bad-${randomUUID().slice(0, 8)}`, spec.replace('DATA', dataDir))));
    expect(err.status, label).toBe(400);
    expect(err.details.issues?.map((i) => i.path)).toContain(field);
    expect(await rows()).toEqual(before);
  });
});

describe('at run time, a step cannot turn a volume or an output path against the worker', () => {
  it('a symlink to the data dir planted in an emptyDir is refused as the next step’s subPath', async () => {
    const run = await start(
      h,
      oneTask(
        'sec-vol-symlink',
        `          volumes: [{ name: c, emptyDir: {} }]
          steps:
            - { name: plant, image: a, script: 'rm -rf /c/x && ln -s ${dataDir} /c/x', volumeMounts: [{ name: c, mountPath: /c }] }
            - { name: read, image: a, script: 'cat /d/secret-key; echo pwned > /d/pwned', volumeMounts: [{ name: c, mountPath: /d, subPath: x }] }
`,
      ),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0].status).toBe('False');
    expect((await child(h, run.id, 't')).status.conditions[0].message).toMatch(/x is a symlink/);
    await expectUntouched(run.id);
  });

  it('a volume at /workspace: a symlink planted in it where a workspace is mounted on top is refused, not followed', async () => {
    const run = await start(
      h,
      oneTask(
        'sec-vol-workspace-over',
        `          workspaces: [{ name: source }]
          volumes: [{ name: e }]
          steps:
            - { name: plant, image: a, script: 'rm -rf /e/source; ln -s ${dataDir} /e/source', volumeMounts: [{ name: e, mountPath: /e }] }
            - { name: use, image: a, script: 'echo pwned > /workspace/source/pwned; cat /workspace/source/secret-key; true', volumeMounts: [{ name: e, mountPath: /workspace }] }
`,
      )
        .replace('spec:\n  pipelineSpec:', 'spec:\n  workspaces: [{ name: source, emptyDir: {} }]\n  pipelineSpec:')
        .replace('        taskSpec:', '        workspaces: [{ name: source, workspace: source }]\n        taskSpec:'),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0].status).toBe('False');
    expect((await child(h, run.id, 't')).status.conditions[0].message).toMatch(/source is a symlink/);
    await expectUntouched(run.id);
  });

  it('a volume below /tekton/home on a symlink an earlier step planted in the home folder is refused, not followed', async () => {
    const run = await start(
      h,
      oneTask(
        'sec-vol-home-below',
        `          volumes: [{ name: e, emptyDir: {} }]
          steps:
            - { name: plant, image: a, script: 'ln -s ${dataDir} /tekton/home/.cache' }
            - { name: use, image: a, script: 'echo pwned > /tekton/home/.cache/pwned; cat /tekton/home/.cache/secret-key; true', volumeMounts: [{ name: e, mountPath: /tekton/home/.cache }] }
`,
      ),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0].status).toBe('False');
    expect((await child(h, run.id, 't')).status.conditions[0].message).toMatch(/\.cache is a symlink/);
    await expectUntouched(run.id);
  });

  it('stdoutConfig onto a result a step swapped for a symlink to the data dir writes nothing there', async () => {
    const run = await start(
      h,
      oneTask(
        'sec-stdout-symlink',
        `          results: [{ name: out }]
          steps:
            - { name: plant, image: a, script: 'ln -sf ${dataDir}/secret-key $(results.out.path)' }
            - { name: write, image: a, stdoutConfig: { path: $(results.out.path) }, script: 'echo overwritten' }
`,
      ),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0].status).toBe('False');
    expect((await child(h, run.id, 't')).status.conditions[0].message).toMatch(/out is a symlink/);
    await expectUntouched(run.id);
  });

  it('a ConfigMap volume is read-only to steps: a later step still reads what the worker wrote', async () => {
    const run = await start(
      h,
      `apiVersion: v1
kind: ConfigMap
metadata: { name: sec-app }
data: { app.txt: original }
---
` +
        oneTask(
          'sec-configmap-ro',
          `          volumes: [{ name: app, configMap: { name: sec-app } }]
          stepTemplate:
            volumeMounts: [{ name: app, mountPath: /app }]
          steps:
            - name: tamper
              image: a
              script: |
                echo changed > /app/app.txt 2>/dev/null && echo "wrote" || echo "write refused"
                ln -sf ${dataDir}/secret-key /app/link 2>/dev/null && echo "linked" || echo "link refused"
            - { name: read, image: a, script: 'echo "now: $(cat /app/app.txt)"' }
`,
        ),
    );
    const done = await waitForRun(h, run.id);
    const lines = await logLines(h, (await child(h, run.id, 't')).id);
    expect(done.status.conditions[0].status, lines.join('\n')).toBe('True');
    expect(lines).toEqual(expect.arrayContaining(['write refused', 'link refused', 'now: original']));
    await expectUntouched(run.id);
  });
});
