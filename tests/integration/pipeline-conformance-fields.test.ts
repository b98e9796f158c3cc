import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { taskRuns } from '../../lib/adapters/db/schema';
import { taskRunResource } from '../../lib/server/pipeline/pipeline-run-resource';
import { apply, child, children, logLines, result, start, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

/**
 * A pipeline written for upstream Tekton, using fields Keelson refused before issue 13: step
 * displayName, embedded taskSpec metadata, isolated step workspaces (one at its own mountPath, one
 * through a StepAction served as tekton.dev/v1alpha1), a projected workspace of a ConfigMap and a
 * Secret, taskRef.kind, and pod-level settings (taskRunTemplate, taskRunSpecs, computeResources)
 * that the local executor accepts without effect.
 */
const upstreamStyle = `apiVersion: v1
kind: ConfigMap
metadata: { name: app-config }
data: { greeting: hello }
---
apiVersion: v1
kind: Secret
metadata: { name: deploy-token }
stringData: { token: s3cr3t-value }
---
apiVersion: tekton.dev/v1alpha1
kind: StepAction
metadata: { name: show-version }
spec:
  image: alpine
  params: [{ name: file }]
  env: [{ name: FILE, value: $(params.file) }]
  script: |
    echo "version file says: $(cat "$FILE")"
---
apiVersion: tekton.dev/v1
kind: Task
metadata: { name: report }
spec:
  params: [{ name: greeting }]
  steps:
    - name: say
      displayName: Say the greeting
      image: alpine
      computeResources: { requests: { cpu: 100m } }
      script: echo "report got $(params.greeting)"
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: fields-demo }
spec:
  displayName: Fields demo
  params: [{ name: rev, default: main }]
  workspaces: [{ name: source }, { name: config }]
  tasks:
    - name: build
      displayName: Build $(params.rev)
      workspaces:
        - { name: source, workspace: source }
        - { name: config, workspace: config }
      taskSpec:
        metadata:
          labels: { app.kubernetes.io/name: demo }
          annotations: { example.com/owner: ci }
        workspaces: [{ name: source }, { name: config, readOnly: true }]
        results: [{ name: greeting }]
        steps:
          - name: write
            displayName: Write the version file
            image: alpine
            workspaces: [{ name: source, mountPath: /src }]
            script: |
              echo "rev $(params.rev)" > /src/VERSION
              echo "source is declared at $(workspaces.source.path)"
          - name: outsider
            displayName: A step that did not ask for the workspace
            image: alpine
            script: |
              [ -e /src/VERSION ] && echo "outsider sees /src" || echo "outsider does not see /src"
              [ -e /workspace/source/VERSION ] && echo "outsider sees source" || echo "outsider does not see source"
          - name: show
            ref: { name: show-version }
            params: [{ name: file, value: /workspace/source/VERSION }]
            workspaces: [{ name: source }]
          - name: read-config
            image: alpine
            script: |
              printf '%s' "$(cat $(workspaces.config.path)/greeting)" > $(results.greeting.path)
              echo "token file: $(cat $(workspaces.config.path)/token)"
    - name: report
      runAfter: [build]
      taskRef: { name: report, kind: Task }
      params: [{ name: greeting, value: $(tasks.build.results.greeting) }]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: fields-demo-run }
spec:
  pipelineRef: { name: fields-demo }
  params: [{ name: rev, value: v1.2.3 }]
  taskRunTemplate:
    serviceAccountName: builder
    podTemplate: { nodeSelector: { kubernetes.io/arch: amd64 } }
  taskRunSpecs:
    - pipelineTaskName: build
      metadata: { labels: { tier: build } }
      # Upstream refuses task-level computeResources beside stepSpecs' (validateTaskRunComputeResources): one of them.
      stepSpecs: [{ name: write, computeResources: { limits: { memory: 1Gi } } }]
  workspaces:
    - { name: source, emptyDir: {} }
    - name: config
      projected:
        sources:
          - configMap: { name: app-config }
          - secret: { name: deploy-token, items: [{ key: token, path: token }] }
`;

describe('fields upstream accepts, in a realistic pipeline', () => {
  it('runs step displayName, embedded metadata, isolated step workspaces and a projected binding', async () => {
    const run = await start(h, upstreamStyle);
    const done = await waitForRun(h, run.id, 60_000);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });

    const build = await child(h, run.id, 'build');
    const lines = await logLines(h, build.id);
    // The step that lists the workspace sees it at its own mountPath; $(workspaces.x.path) stays the Task's path.
    expect(lines).toContain('source is declared at /workspace/source');
    // A step that does not list an isolated workspace sees it neither at the step's path nor at the Task's.
    expect(lines).toContain('outsider does not see /src');
    expect(lines).toContain('outsider does not see source');
    // The StepAction step lists the workspace without a mountPath: it sees it at the Task's path.
    expect(lines).toContain('version file says: rev v1.2.3');
    // The projected workspace shows the ConfigMap's key and the Secret's item; the Secret's value is masked.
    expect(result(build.status, 'greeting')).toBe('hello');
    expect(lines).toContain('token file: ***');
    expect(lines.join('\n')).not.toContain('s3cr3t-value');

    const report = await child(h, run.id, 'report');
    expect(await logLines(h, report.id)).toContain('report got hello');

    // The TaskRun carries the embedded taskSpec's labels and annotations, and the run's taskRunSpecs metadata.
    const rows = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, run.id));
    const resource = (task: string) =>
      taskRunResource(
        rows.find((r) => r.pipelineTask === task)!,
        run.name,
      );
    const shown = resource('build').metadata;
    expect(shown.labels).toMatchObject({
      'app.kubernetes.io/name': 'demo',
      tier: 'build',
      'tekton.dev/pipelineTask': 'build',
    });
    expect(shown).toMatchObject({ annotations: { 'example.com/owner': 'ci' } });
    expect(resource('report').metadata.labels).not.toHaveProperty('tier');
  });

  it('skips a step whose when expressions do not hold, reading params and an earlier step’s result', async () => {
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: step-when }
spec:
  params: [{ name: mode, value: careful }]
  pipelineSpec:
    params: [{ name: mode }]
    tasks:
      - name: gated
        taskSpec:
          params: [{ name: mode }]
          steps:
            - name: probe
              image: alpine
              results: [{ name: verdict }]
              script: printf 'ship' > $(step.results.verdict.path)
            - name: fast-only
              image: alpine
              when: [{ input: $(params.mode), operator: in, values: [fast] }]
              script: echo "fast-only ran"
            - name: on-verdict
              image: alpine
              when: [{ input: $(steps.probe.results.verdict), operator: in, values: [ship] }]
              script: echo "on-verdict ran"
            - name: not-careful
              image: alpine
              when: [{ input: $(params.mode), operator: notin, values: [careful] }]
              script: echo "not-careful ran"
            - name: last
              image: alpine
              script: echo "last ran"
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const gated = await child(h, run.id, 'gated');
    const lines = await logLines(h, gated.id);
    expect(lines).toEqual(expect.arrayContaining(['on-verdict ran', 'last ran']));
    expect(lines).not.toContain('fast-only ran');
    expect(lines).not.toContain('not-careful ran');
    const reasons = Object.fromEntries((gated.status.steps ?? []).map((st) => [st.name, st.terminated?.reason]));
    expect(reasons).toEqual({
      probe: 'Completed',
      'fast-only': 'Skipped',
      'on-verdict': 'Completed',
      'not-careful': 'Skipped',
      last: 'Completed',
    });
  });

  it('a run that binds a CSI workspace fails naming the Kubernetes executor', async () => {
    const run = await start(
      h,
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: csi-run }
spec:
  workspaces:
    - name: secrets
      csi: { driver: secrets-store.csi.k8s.io, readOnly: true, volumeAttributes: { secretProviderClass: vault } }
  pipelineSpec:
    workspaces: [{ name: secrets }]
    tasks:
      - name: use
        workspaces: [{ name: secrets, workspace: secrets }]
        taskSpec:
          workspaces: [{ name: secrets }]
          steps: [{ name: s, image: alpine, script: ls $(workspaces.secrets.path) }]
`,
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0].status).toBe('False');
    const all = JSON.stringify([done.status, ...(await children(h, run.id)).map((c) => c.status)]);
    expect(all).toContain('VolumeSourceUnsupported');
    expect(all).toMatch(
      /CSI volume \(driver \\"secrets-store.csi.k8s.io\\"\), which the local executor cannot provide: this workspace needs the Kubernetes executor/,
    );
  });

  it('refuses what upstream refuses, at the path, with a sentence on what to write', async () => {
    const refused = await apply(
      h,
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: custom-kind }
spec:
  tasks:
    - name: a
      taskRef: { name: report, kind: task }
`,
    ).then(
      () => undefined,
      (error: { details?: { issues?: { path: string; message: string }[] } }) => error,
    );
    expect(refused?.details?.issues).toContainEqual(
      expect.objectContaining({
        path: 'documents[0].spec.tasks[0].taskRef.kind',
        message: expect.stringMatching(/write kind: Task/),
      }),
    );
  });
});
