import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pipelineRuns } from '../../lib/adapters/db/schema';
import {
  apply,
  child,
  logLines,
  pipelineRun,
  onKubernetes,
  rejection,
  runTaskRun,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

const h = useHarness();

/** A pipeline whose embedded taskSpecs use `shared` without declaring it or being bound to it. */
const sharedSpec = {
  workspaces: [{ name: 'shared' }],
  tasks: [
    {
      name: 'write',
      taskSpec: { steps: [{ name: 'w', image: 'alpine', script: 'echo from-write > $(workspaces.shared.path)/f' }] },
    },
    {
      name: 'read',
      runAfter: ['write'],
      taskSpec: {
        steps: [
          {
            name: 'r',
            image: 'alpine',
            script: 'echo "read $(cat $(workspaces.shared.path)/f) at $(workspaces.shared.path)"',
          },
        ],
      },
    },
  ],
};
const sharedBinding = { workspaces: [{ name: 'shared', emptyDir: {} }] };

describe('propagated workspaces', () => {
  // Local only: the local executor shares an emptyDir workspace between a PipelineRun's tasks (one folder per run);
  // Tekton gives each TaskRun pod its own emptyDir, so on Kubernetes the reading task finds nothing (data passes
  // between tasks through a volumeClaimTemplate or a PVC there).
  it.skipIf(onKubernetes)(
    'an embedded pipelineSpec: its embedded taskSpecs get the run workspace they use',
    async () => {
      const run = await start(h, pipelineRun('pw-inline', sharedSpec, sharedBinding));
      const done = await waitForRun(h, run.id);
      expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
      expect(await logLines(h, (await child(h, run.id, 'read')).id)).toContain('read from-write at /workspace/shared');
    },
  );

  // Local only: an emptyDir shared between tasks, as above.
  it.skipIf(onKubernetes)('a referenced Pipeline (pipelineRef): its embedded taskSpecs get it too', async () => {
    await apply(h, { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'pw-ref' }, spec: sharedSpec });
    const run = await start(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'pw-ref-run' },
      spec: { pipelineRef: { name: 'pw-ref' }, ...sharedBinding },
    });
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(await logLines(h, (await child(h, run.id, 'read')).id)).toContain('read from-write at /workspace/shared');
  });

  it('a standalone TaskRun with a taskSpec: every binding is declared for it (Tekton docs/taskruns.md)', async () => {
    const { row, lines } = await runTaskRun(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: tr-prop-ws }
spec:
  workspaces: [{ name: tr-workspace, emptyDir: {} }]
  taskSpec:
    steps:
      - name: simple-step
        image: alpine
        command: [echo]
        args: ["$(workspaces.tr-workspace.path)"]
`,
    );
    expect(row.state).toBe('succeeded');
    expect(lines).toContain('/workspace/tr-workspace');
  });

  it('a standalone TaskRun of a referenced Task: an undeclared binding is refused, as upstream fails it', async () => {
    await apply(
      h,
      `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: workspace-propagation }
spec:
  steps:
    - name: simple-step
      image: alpine
      command: [echo]
      args: ["$(workspaces.tr-workspace.path)"]
`,
    );
    const err = await rejection(
      apply(
        h,
        `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: tr-prop-ref }
spec:
  taskRef: { name: workspace-propagation }
  workspaces: [{ name: tr-workspace, emptyDir: {} }]
`,
      ),
    );
    expect(err.message).toContain('workspace binding "tr-workspace" does not match any declared workspace');
  });

  // Local only: an emptyDir shared between tasks, as above (upstream's example binds a volumeClaimTemplate).
  it.skipIf(onKubernetes)(
    "Tekton's recipe-time example: an embedded pipelineSpec declaring no workspace, a referenced Task bound by name",
    async () => {
      await apply(
        h,
        `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: fetch-secure-data }
spec:
  workspaces: [{ name: shared-data }]
  steps:
    - name: fetch-and-write
      image: alpine
      script: echo secret-recipe > $(workspaces.shared-data.path)/recipe.txt
`,
      );
      const run = await start(
        h,
        `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: recipe-time }
spec:
  workspaces: [{ name: shared-data, emptyDir: {} }]
  pipelineSpec:
    tasks:
      - name: fetch-the-recipe
        workspaces: [{ name: shared-data }]
        taskRef: { name: fetch-secure-data }
      - name: print-the-recipe
        runAfter: [fetch-the-recipe]
        taskSpec:
          steps:
            - name: print-secrets
              image: alpine
              script: cat $(workspaces.shared-data.path)/recipe.txt
`,
      );
      const done = await waitForRun(h, run.id);
      expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
      expect(await logLines(h, (await child(h, run.id, 'print-the-recipe')).id)).toContain('secret-recipe');
    },
  );

  it('refuses a run that does not bind a workspace an embedded taskSpec uses, and stores nothing', async () => {
    const err = await rejection(
      apply(
        h,
        `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: pw-unbound }
spec:
  pipelineSpec:
    tasks:
      - name: print
        taskSpec:
          steps: [{ name: p, image: alpine, script: 'ls $(workspaces.shared-data.path)' }]
`,
      ),
    );
    expect(err.status).toBe(400);
    expect(err.message).toContain(
      'expected workspace "shared-data" to be provided by pipelinerun for pipeline task "print"',
    );
    expect(await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, 'pw-unbound'))).toEqual([]);
  });
});

describe('propagated params', () => {
  it('object and array params of the run reach an embedded taskSpec of an embedded pipelineSpec', async () => {
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: pp-obj }
spec:
  params:
    - name: gitrepo
      value: { url: xyz.com, commit: sha123 }
    - name: flags
      value: [a, "b c"]
  pipelineSpec:
    tasks:
      - name: show
        taskSpec:
          steps:
            - name: s
              image: alpine
              command: [sh, -c, 'for a in "$@"; do echo "arg $a"; done', --]
              args: ["--url=$(params.gitrepo.url)", "--commit=$(params.gitrepo.commit)", "$(params.flags[*])", "first=$(params.flags[0])"]
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect((await logLines(h, (await child(h, run.id, 'show')).id)).filter((l) => l.startsWith('arg'))).toEqual([
      'arg --url=xyz.com',
      'arg --commit=sha123',
      'arg a',
      'arg b c',
      'arg first=a',
    ]);
  });

  it('object params reach the embedded taskSpecs of a referenced Pipeline', async () => {
    await apply(
      h,
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: pp-obj-ref }
spec:
  params:
    - name: gitrepo
      type: object
      properties: { url: {}, commit: {} }
  tasks:
    - name: show
      taskSpec:
        steps:
          - name: s
            image: alpine
            args: ["--url=$(params.gitrepo.url)", "--commit=$(params.gitrepo.commit)"]
            command: [echo]
`,
    );
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: pp-obj-ref-run }
spec:
  pipelineRef: { name: pp-obj-ref }
  params:
    - name: gitrepo
      value: { url: xyz.com, commit: sha123 }
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(await logLines(h, (await child(h, run.id, 'show')).id)).toContain('--url=xyz.com --commit=sha123');
  });

  it('a standalone TaskRun: object params reach its taskSpec without being declared (Tekton docs/taskruns.md)', async () => {
    const { row, lines } = await runTaskRun(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: tr-obj }
spec:
  params:
    - name: gitrepo
      value: { commit: sha123, url: xyz.com }
  taskSpec:
    steps:
      - name: echo-object-params
        image: alpine
        command: [echo]
        args: ["--url=$(params.gitrepo.url)", "--commit=$(params.gitrepo.commit)"]
`,
    );
    expect(row.state).toBe('succeeded');
    expect(lines).toContain('--url=xyz.com --commit=sha123');
  });

  it("a referenced Pipeline's param defaults (string, array, object) reach its embedded taskSpecs and finally tasks", async () => {
    await apply(
      h,
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: pp-defaults }
spec:
  params:
    - { name: greet, default: hi }
    - { name: list, type: array, default: [x, y] }
    - { name: target, type: object, properties: { host: {} }, default: { host: db.local } }
  tasks:
    - name: show
      taskSpec:
        steps:
          - { name: s, image: alpine, command: [echo], args: ["$(params.greet)", "$(params.list[*])", "$(params.target.host)"] }
  finally:
    - name: last
      taskSpec:
        steps: [{ name: s, image: alpine, script: 'echo "finally $(params.greet) $(params.list[1]) $(params.target.host)"' }]
`,
    );
    const run = await start(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'pp-defaults-run' },
      spec: { pipelineRef: { name: 'pp-defaults' } },
    });
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(await logLines(h, (await child(h, run.id, 'show')).id)).toContain('hi x y db.local');
    expect(await logLines(h, (await child(h, run.id, 'last')).id)).toContain('finally hi y db.local');
  });

  /** Tekton's test/propagated_params_test.go, as data: the run's params, the PipelineRun, the line each task echoes. */
  it.each([
    {
      name: 'propagated-parameters-fully',
      tasks: `tasks:
      - name: echo-hello
        taskSpec:
          steps: [{ name: echo, image: alpine, script: echo $(params.HELLO) }]
    finally:
      - name: echo-hello-finally
        taskSpec:
          steps: [{ name: echo, image: alpine, script: echo $(params.HELLO) }]`,
      expected: { 'echo-hello': 'Hello World!', 'echo-hello-finally': 'Hello World!' },
    },
    {
      name: 'propagated-parameters-task-level',
      tasks: `tasks:
      - name: echo-hello
        params: [{ name: HELLO, value: "Hello World!" }]
        taskSpec:
          steps: [{ name: echo, image: alpine, script: echo $(params.HELLO) }]`,
      expected: { 'echo-hello': 'Hello World!' },
      run: 'Pipeline Hello World!',
    },
    {
      name: 'propagated-parameters-default-task-level',
      tasks: `tasks:
      - name: echo-hello
        taskSpec:
          params: [{ name: HELLO, type: string, default: "Default Hello World" }]
          steps: [{ name: echo, image: alpine, script: echo $(params.HELLO) }]`,
      expected: { 'echo-hello': 'Hello World!' },
    },
  ])('$name', async ({ name, tasks, expected, run: value }) => {
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: ${name} }
spec:
  params: [{ name: HELLO, value: "${value ?? 'Hello World!'}" }]
  pipelineSpec:
    ${tasks}
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    for (const [task, line] of Object.entries(expected))
      expect(await logLines(h, (await child(h, run.id, task)).id)).toContain(line);
  });
});
