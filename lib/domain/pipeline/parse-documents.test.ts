import { describe, expect, it } from 'vitest';
import { formatPath, parseDocuments } from './parse-documents';
import { secretValues, type TPipeline, type TPipelineRun, type TTask } from './spec-schemas';

const goodFile = `
apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: echo
spec:
  params:
    - name: message
      default: hello
    - name: flags
      type: array
      default: [-a, -b]
  results:
    - name: out
  steps:
    - name: say
      image: alpine
      script: echo "$(params.message)" > $(results.out.path)
      timeout: 1m30s
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef: {name: creds, key: token}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: build
spec:
  params:
    - name: count
      default: 3
  workspaces:
    - name: source
  tasks:
    - name: first
      taskRef: {name: echo}
      retries: 2
      workspaces:
        - name: src
          workspace: source
          subPath: app
    - name: second
      runAfter: [first]
      when:
        - input: $(tasks.first.results.out)
          operator: in
          values: ["hello"]
      taskSpec:
        steps:
          - image: alpine
            command: [echo]
            args: [hi]
  finally:
    - name: report
      taskRef: {name: echo}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: build-
spec:
  pipelineRef: {name: build}
  params:
    - name: count
      value: 5
  timeouts:
    pipeline: 1h
    finally: 10m
  workspaces:
    - name: source
      volumeClaimTemplate:
        spec: {accessModes: [ReadWriteOnce]}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data:
  token: c2VjcmV0
stringData:
  user: me
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {level: debug}
---
apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: {name: git-clone}
spec:
  image: alpine/git
  params: [{name: url}]
  script: git clone $(params.url)
---
`;

describe('parseDocuments', () => {
  it('parses a multi-document file into typed resources', () => {
    const result = parseDocuments(goodFile);
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    expect(result.resources.map((r) => r.kind)).toEqual([
      'Task',
      'Pipeline',
      'PipelineRun',
      'Secret',
      'ConfigMap',
      'StepAction',
    ]);
    const task = result.resources[0] as TTask;
    expect(task.spec.steps[0].env?.[0].valueFrom?.secretKeyRef?.key).toBe('token');
    const pipeline = result.resources[1] as TPipeline;
    expect(pipeline.spec.params?.[0].default).toBe('3');
    expect(pipeline.spec.tasks[0].workspaces?.[0]).toEqual({ name: 'src', workspace: 'source', subPath: 'app' });
    const run = result.resources[2] as TPipelineRun;
    expect(run.spec.params?.[0].value).toBe('5');
    expect(run.metadata.generateName).toBe('build-');
  });

  it('accepts JSON objects, arrays and Lists', () => {
    const task = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 't' },
      spec: { steps: [{ image: 'a', script: 'true' }] },
    };
    for (const input of [task, [task, task], { kind: 'List', items: [task] }]) {
      const result = parseDocuments(input);
      expect(result.ok).toBe(true);
    }
    const many = parseDocuments([task, { ...task, kind: 'Deployment' }]);
    expect(many.ok).toBe(false);
    if (!many.ok) expect(many.errors[0].doc).toBe(1);
  });

  const task = (spec: string) => `apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n${spec}`;
  const pipeline = (spec: string) => `apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n${spec}`;

  it.each([
    ['malformed YAML', 'kind: Task\n  bad: [unclosed\n', '', /malformed YAML at line \d+, column \d+/],
    [
      'unknown kind',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n',
      'kind',
      /"Deployment" is not accepted; only Task, Pipeline, PipelineRun, TaskRun, StepAction, ConfigMap, Secret, PersistentVolumeClaim/,
    ],
    ['missing kind', 'apiVersion: v1\nmetadata: {name: d}\n', 'kind', /kind is required/],
    [
      'wrong apiVersion',
      'apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: t}\nspec: {steps: [{image: a}]}\n',
      'apiVersion',
      /expected tekton.dev\/v1/,
    ],
    [
      'no name',
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {labels: {a: b}}\nspec: {steps: [{image: a}]}\n',
      'metadata',
      /metadata.name or metadata.generateName/,
    ],
    [
      'script and command',
      task('  steps: [{image: a, script: x, command: [y]}]\n'),
      'spec.steps[0].script',
      /script or command, not both/,
    ],
    [
      'bad step timeout',
      task('  steps: [{image: a, script: x, timeout: soon}]\n'),
      'spec.steps[0].timeout',
      /Go duration/,
    ],
    ['no steps', task('  params: []\n'), 'spec.steps', /steps is required/],
    [
      'default type mismatch',
      task('  params: [{name: a, type: array, default: x}]\n  steps: [{image: a}]\n'),
      'spec.params[0].default',
      /default is a string but the param type is array/,
    ],
    [
      'enum default outside enum',
      task('  params: [{name: a, enum: [x, y], default: z}]\n  steps: [{image: a}]\n'),
      'spec.params[0].default',
      /not one of the enum values/,
    ],
    [
      'duplicate task names',
      pipeline('  tasks:\n    - {name: a, taskRef: {name: x}}\n    - {name: a, taskRef: {name: y}}\n'),
      'spec.tasks[1].name',
      /duplicate task name "a"/,
    ],
    [
      'duplicate across finally',
      pipeline('  tasks: [{name: a, taskRef: {name: x}}]\n  finally: [{name: a, taskRef: {name: y}}]\n'),
      'spec.finally[0].name',
      /already used at tasks\[0\]/,
    ],
    [
      'taskRef and taskSpec',
      pipeline('  tasks: [{name: a, taskRef: {name: x}, taskSpec: {steps: [{image: a}]}}]\n'),
      'spec.tasks[0].taskRef',
      /exactly one of taskRef or taskSpec/,
    ],
    ['bad task name', pipeline('  tasks: [{name: Build_It, taskRef: {name: x}}]\n'), 'spec.tasks[0].name', /lowercase/],
    [
      'bad when operator',
      pipeline('  tasks: [{name: a, taskRef: {name: x}, when: [{input: a, operator: eq, values: [b]}]}]\n'),
      'spec.tasks[0].when[0].operator',
      /one of in, notin/,
    ],
    [
      'runAfter not a list',
      pipeline('  tasks: [{name: a, taskRef: {name: x}, runAfter: b}]\n'),
      'spec.tasks[0].runAfter',
      /expected array/,
    ],
    [
      'workspace with two sources',
      'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: r}\nspec:\n  pipelineRef: {name: p}\n  workspaces: [{name: w, emptyDir: {}, secret: {secretName: s}}]\n',
      'spec.workspaces[0]',
      /only one source/,
    ],
    [
      'bad cancel status',
      'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: r}\nspec:\n  pipelineRef: {name: p}\n  status: Stop\n',
      'spec.status',
      /must be one of Cancelled/,
    ],
    [
      'non-base64 secret',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: "not base64!"}\n',
      'data.a',
      /base64/,
    ],
    ['a misspelt step field', task('  steps: [{image: a, scripts: x}]\n'), 'spec.steps[0]', /scripts/],
    // Issue 13: volumeMounts, sidecars and stdoutConfig are accepted now (upstream's types); what stays refused:
    [
      'a volumeMount of an undeclared volume',
      task('  steps: [{image: a, script: x, volumeMounts: [{name: v, mountPath: /etc/v}]}]\n'),
      'spec.steps[0].volumeMounts[0].name',
      /add it to spec.volumes/,
    ],
    [
      'a hostPath volume',
      task('  steps: [{image: a, script: x}]\n  volumes: [{name: h, hostPath: {path: /}}]\n'),
      'spec.volumes[0].hostPath',
      /hostPath volumes are refused/,
    ],
    // A sidecar without a name is accepted now, as upstream's (its container is "sidecar"); a bad name is not.
    [
      'a sidecar named with capitals',
      task('  steps: [{image: a, script: x}]\n  sidecars: [{name: Redis, image: redis}]\n'),
      'spec.sidecars[0].name',
      /lowercase letters/,
    ],
    [
      'a misspelt stdoutConfig field',
      task('  steps: [{image: a, script: x, stdoutConfig: {file: /tmp/o}}]\n'),
      'spec.steps[0].stdoutConfig',
      /file/,
    ],
    [
      'a git resolver',
      pipeline('  tasks: [{name: a, taskRef: {resolver: git, params: [{name: url, value: u}]}}]\n'),
      'spec.tasks[0].taskRef.resolver',
      /resolved only by `keelson apply`/,
    ],
    [
      'a bundles resolver on a run',
      'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: r}\nspec:\n  pipelineRef: {resolver: bundles}\n',
      'spec.pipelineRef.resolver',
      /resolved only by `keelson apply`/,
    ],
  ])('%s → error at %j', (_label, yaml, path, message) => {
    const result = parseDocuments(yaml);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.errors.find((e) => e.path === path);
    expect(error, JSON.stringify(result.errors)).toBeDefined();
    expect(error?.message).toMatch(message);
    expect(error?.hint).toMatch(/\.$/);
    expect(error?.hint.length).toBeGreaterThan(10);
  });

  it('accepts pod-level settings that have no effect on the local executor', () => {
    const run = `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: r}\nspec:\n  pipelineRef: {name: p}\n  taskRunTemplate: {serviceAccountName: builder, podTemplate: {nodeSelector: {a: b}}}\n  taskRunSpecs: [{pipelineTaskName: build, serviceAccountName: x}]\n`;
    const steps = task(
      '  steps: [{image: a, script: x, imagePullPolicy: Always, computeResources: {limits: {cpu: "1"}}, securityContext: {runAsNonRoot: true}}]\n',
    );
    expect(parseDocuments(run).ok).toBe(true);
    expect(parseDocuments(steps).ok).toBe(true);
  });

  it('accepts a sidecar without a name and a volume without a source (an emptyDir), as upstream and Kubernetes do', () => {
    const yaml = task(
      '  steps: [{image: a, script: x, volumeMounts: [{name: v, mountPath: /v}]}]\n  sidecars: [{image: redis, script: x}]\n  volumes: [{name: v}]\n',
    );
    const result = parseDocuments(yaml);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it('reports the line of a YAML error in a later document', () => {
    const result = parseDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0].doc).toBe(1);
    expect(result.errors[0].line).toBeGreaterThanOrEqual(5);
  });

  it('refuses an empty input', () => {
    expect(parseDocuments('---\n').ok).toBe(false);
  });
});

describe('formatPath', () => {
  it.each([
    [['spec', 'tasks', 2, 'runAfter', 0], 'spec.tasks[2].runAfter[0]'],
    [[], ''],
    [[0, 'a'], '[0].a'],
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('secretValues', () => {
  it('decodes data and lets stringData win', () => {
    expect(secretValues({ data: { a: 'c2VjcmV0', b: 'eA==' }, stringData: { b: 'plain' } })).toEqual({
      a: 'secret',
      b: 'plain',
    });
  });
});
