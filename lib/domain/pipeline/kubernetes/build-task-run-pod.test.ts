import { describe, expect, it } from 'vitest';
import type { StepPlan, TaskRunPlan } from '../task-run-plan';
import { buildTaskRunPod, type BuildTaskRunPodInput } from './build-task-run-pod';
import type { Container } from './pod-types';

const step = (name: string, extra: Partial<StepPlan> = {}): StepPlan => ({
  name,
  env: {},
  onError: 'stopAndFail',
  image: 'busybox',
  ...extra,
});

const plan = (extra: Partial<TaskRunPlan> = {}): TaskRunPlan => ({
  taskRunName: 'build-x7k2q-compile',
  steps: [
    step('one', { script: 'echo one' }),
    step('two', { image: 'python', script: '#!/usr/bin/env python3\nprint(2)' }),
  ],
  workspaces: [],
  resultNames: ['greeting'],
  secretsToMask: [],
  ...extra,
});

const build = (p: TaskRunPlan, extra: Partial<BuildTaskRunPodInput> = {}) =>
  buildTaskRunPod({
    plan: p,
    podName: `${p.taskRunName}-pod`,
    namespace: 'team-a',
    images: { entrypoint: 'ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0', shell: 'busybox:1.36' },
    imageCommands: {},
    runSecretName: `${p.taskRunName}-pod-run`,
    ...extra,
  });

const decodedScripts = (placeScripts: Container) =>
  [...(placeScripts.args?.[1] ?? '').matchAll(/<< '_EOF_'\n([A-Za-z0-9+/=]+)\n_EOF_/g)].map((m) =>
    Buffer.from(m[1], 'base64').toString('utf8'),
  );

describe('buildTaskRunPod: the shape of upstream v1.15 (entrypoint-pod.yaml that ran on the real node)', () => {
  const { pod, problems } = build(plan());

  it('has no problems and the pod metadata Tekton gives it', () => {
    expect(problems).toEqual([]);
    expect(pod).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'build-x7k2q-compile-pod',
        namespace: 'team-a',
        labels: { 'tekton.dev/taskRun': 'build-x7k2q-compile' },
        annotations: { 'tekton.dev/ready': 'READY' },
      },
      spec: { restartPolicy: 'Never' },
    });
  });

  it('runs prepare first (entrypoint init with the step container names), then place-scripts', () => {
    expect(pod.spec.initContainers.map((c) => c.name)).toEqual(['prepare', 'place-scripts']);
    expect(pod.spec.initContainers[0]).toEqual({
      name: 'prepare',
      image: 'ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0',
      workingDir: '/',
      command: ['/ko-app/entrypoint', 'init', '/ko-app/entrypoint', '/tekton/bin/entrypoint', 'step-one', 'step-two'],
      volumeMounts: [
        { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
        { name: 'tekton-internal-steps', mountPath: '/tekton/steps' },
      ],
    });
    const place = pod.spec.initContainers[1];
    expect(place).toMatchObject({ image: 'busybox:1.36', command: ['sh'] });
    expect(place.args?.[0]).toBe('-c');
    expect(place.args?.[1]).toContain('/tekton/bin/entrypoint decode-script "${scriptfile}"');
    expect(place.args?.[1]).toContain('scriptfile="/tekton/scripts/script-0"');
    // Without a shebang, Tekton's prelude; with one, verbatim.
    expect(decodedScripts(place)).toEqual(['#!/bin/sh\nset -e\necho one', '#!/usr/bin/env python3\nprint(2)']);
  });

  it('rewrites each step to the entrypoint, waiting for the previous step, with the task results to report', () => {
    const [one, two] = pod.spec.containers;
    expect(one).toMatchObject({ name: 'step-one', image: 'busybox', command: ['/tekton/bin/entrypoint'] });
    expect(one.args).toEqual([
      '-post_file',
      '/tekton/run/0/out',
      '-termination_path',
      '/tekton/termination',
      '-step_metadata_dir',
      '/tekton/run/0/status',
      '-results',
      'greeting',
      '-entrypoint',
      '/tekton/scripts/script-0',
      '--',
    ]);
    expect(two.args?.slice(0, 2)).toEqual(['-wait_file', '/tekton/run/0/out']);
    expect(two.args?.slice(-3)).toEqual(['-entrypoint', '/tekton/scripts/script-1', '--']);
    expect(two.terminationMessagePath).toBe('/tekton/termination');
  });

  it("mounts each step's own run folder read-write and the others read-only, then Tekton's folders", () => {
    const [one, two] = pod.spec.containers;
    expect(one.volumeMounts).toEqual([
      { name: 'tekton-internal-scripts', mountPath: '/tekton/scripts', readOnly: true },
      { name: 'tekton-internal-run-0', mountPath: '/tekton/run/0', readOnly: false },
      { name: 'tekton-internal-run-1', mountPath: '/tekton/run/1', readOnly: true },
      { name: 'tekton-internal-bin', mountPath: '/tekton/bin', readOnly: true },
      { name: 'tekton-internal-workspace', mountPath: '/workspace' },
      { name: 'tekton-internal-home', mountPath: '/tekton/home' },
      { name: 'tekton-internal-results', mountPath: '/tekton/results' },
      { name: 'tekton-internal-steps', mountPath: '/tekton/steps', readOnly: true },
      { name: 'tekton-internal-artifacts', mountPath: '/tekton/artifacts' },
    ]);
    expect(two.volumeMounts?.filter((m) => m.name.startsWith('tekton-internal-run-'))).toEqual([
      { name: 'tekton-internal-run-0', mountPath: '/tekton/run/0', readOnly: true },
      { name: 'tekton-internal-run-1', mountPath: '/tekton/run/1', readOnly: false },
    ]);
    expect(pod.spec.volumes.map((v) => v.name)).toEqual([
      'tekton-internal-workspace',
      'tekton-internal-home',
      'tekton-internal-results',
      'tekton-internal-steps',
      'tekton-internal-artifacts',
      'tekton-internal-scripts',
      'tekton-internal-bin',
      'tekton-internal-run-0',
      'tekton-internal-run-1',
    ]);
    expect(pod.spec.volumes.every((v) => JSON.stringify(v.emptyDir) === '{}')).toBe(true);
  });
});

describe('buildTaskRunPod: step flags', () => {
  it('passes onError, timeout, output paths, step results and when expressions in upstream order', () => {
    const { pod, problems } = build(
      plan({
        resultNames: ['a', 'b'],
        resultsFromSteps: [{ name: 'b', value: '$(steps.one.results.out)' }],
        steps: [
          step('one', {
            command: ['sh', '-c'],
            args: ['echo hi'],
            onError: 'continue',
            timeoutMs: 90_000,
            stdoutPath: '/workspace/out.txt',
            stderrPath: '/tekton/steps/step-one/results/err',
            results: [
              { name: 'out', type: 'string' },
              { name: 'err', type: 'string' },
            ],
            when: [{ input: 'yes', operator: 'in', values: ['yes', 'y'] }],
          }),
        ],
      }),
    );
    expect(problems).toEqual([]);
    expect(pod.spec.containers[0].args).toEqual([
      '-post_file',
      '/tekton/run/0/out',
      '-termination_path',
      '/tekton/termination',
      '-step_metadata_dir',
      '/tekton/run/0/status',
      '-on_error',
      'continue',
      '-timeout',
      '1m30s',
      '-stdout_path',
      '/workspace/out.txt',
      '-stderr_path',
      '/tekton/steps/step-one/results/err',
      '-step_results',
      'out,err',
      '--when_expressions',
      '[{"input":"yes","operator":"in","values":["yes","y"]}]',
      // `b` comes from a step result: the steps do not write it to /tekton/results.
      '-results',
      'a',
      '-entrypoint',
      'sh',
      '--',
      '-c',
      'echo hi',
    ]);
    // No script: no place-scripts, no scripts volume.
    expect(pod.spec.initContainers.map((c) => c.name)).toEqual(['prepare']);
    expect(pod.spec.volumes.some((v) => v.name === 'tekton-internal-scripts')).toBe(false);
  });

  it("leaves $(steps.<s>.results.<r>) in args and env for the entrypoint to fill in, as upstream's does", () => {
    const { pod } = build(
      plan({
        steps: [
          step('make', { script: 'printf v1 > $(step.results.tag.path)', results: [{ name: 'tag', type: 'string' }] }),
          step('use', {
            command: ['echo'],
            args: ['$(steps.make.results.tag)'],
            env: { TAG: '$(steps.make.results.tag)' },
          }),
        ],
      }),
    );
    const use = pod.spec.containers[1];
    expect(use.args?.slice(-4)).toEqual(['-entrypoint', 'echo', '--', '$(steps.make.results.tag)']);
    expect(use.env).toEqual([{ name: 'TAG', value: '$(steps.make.results.tag)' }]);
  });

  it('runs a script naming step results from an env var the entrypoint fills in, written by sh at run time', () => {
    const { pod } = build(
      plan({
        steps: [
          step('make', { command: ['true'], results: [{ name: 'tag', type: 'string' }] }),
          step('show', { script: 'echo "show: $(steps.make.results.tag)"' }),
        ],
      }),
    );
    const show = pod.spec.containers[1];
    expect(pod.spec.initContainers.map((c) => c.name)).toEqual(['prepare']);
    expect(show.env).toEqual([
      { name: 'KEELSON_STEP_SCRIPT', value: '#!/bin/sh\nset -e\necho "show: $(steps.make.results.tag)"' },
    ]);
    const dash = show.args!.indexOf('--');
    expect(show.args!.slice(dash - 2, dash + 2)).toEqual(['-entrypoint', '/bin/sh', '--', '-c']);
    expect(show.args![dash + 2]).toContain('> /tekton/run/1/script');
    expect(show.args![dash + 2]).toContain('exec /tekton/run/1/script "$@"');
  });

  it("runs the image's ENTRYPOINT and CMD for a step with neither command nor script, as upstream's lookup", () => {
    const p = plan({
      resultNames: [],
      steps: [
        step('only-args', { image: 'python', args: ['-c', 'print(1)'] }),
        step('nothing', { image: 'python' }),
        step('ep', { image: 'tool' }),
        step('ep-args', { image: 'tool', args: ['--x'] }),
      ],
    });
    const { pod, problems } = build(p, {
      imageCommands: {
        python: { entrypoint: [], cmd: ['python3'] },
        tool: { entrypoint: ['/bin/tool', 'run'], cmd: ['--default'] },
      },
    });
    expect(problems).toEqual([]);
    const tail = (c: Container) => c.args!.slice(c.args!.indexOf('-entrypoint'));
    expect(tail(pod.spec.containers[0])).toEqual(['-entrypoint', 'python3', '--', '-c', 'print(1)']);
    expect(tail(pod.spec.containers[1])).toEqual(['-entrypoint', 'python3', '--']);
    expect(tail(pod.spec.containers[2])).toEqual(['-entrypoint', '/bin/tool', '--', 'run', '--default']);
    expect(tail(pod.spec.containers[3])).toEqual(['-entrypoint', '/bin/tool', '--', 'run', '--x']);
  });

  it('says what is missing when an image entrypoint was not looked up or a step has no image', () => {
    const { problems } = build(
      plan({ steps: [step('a', { image: 'python' }), step('b', { image: undefined, command: ['x'] })] }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^spec\.steps\[0\] \(a\): the step has no command or script, and the ENTRYPOINT of image "python" was not looked up/,
      ),
      expect.stringMatching(/^spec\.steps\[1\] \(b\)\.image: a step needs an image/),
    ]);
  });

  it('a workingDir naming a step result is a problem (the pod is made before the steps run)', () => {
    const { problems } = build(
      plan({
        steps: [
          step('a', { command: ['true'], results: [{ name: 'dir', type: 'string' }] }),
          step('b', { command: ['ls'], workingDir: '/src/$(steps.a.results.dir)' }),
        ],
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^spec\.steps\[1\] \(b\)\.workingDir: .*use a fixed workingDir and cd in the script\.$/),
    ]);
  });

  it('sets resources, securityContext, imagePullPolicy and a workingDir (relative ones under /workspace)', () => {
    const { pod } = build(
      plan({
        steps: [
          step('a', {
            command: ['make'],
            workingDir: 'src/app',
            computeResources: { limits: { memory: '256Mi' }, requests: { cpu: '100m' } },
            securityContext: { runAsUser: 1000, allowPrivilegeEscalation: false },
            imagePullPolicy: 'IfNotPresent',
          }),
          step('b', { command: ['ls'], workingDir: '/src' }),
        ],
      }),
    );
    expect(pod.spec.containers[0]).toMatchObject({
      workingDir: '/workspace/src/app',
      resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m' } },
      securityContext: { runAsUser: 1000, allowPrivilegeEscalation: false },
      imagePullPolicy: 'IfNotPresent',
    });
    expect(pod.spec.containers[1].workingDir).toBe('/src');
  });

  it('sets activeDeadlineSeconds to 1.5 times the TaskRun timeout, and none without a timeout', () => {
    expect(build(plan({ timeoutMs: 600_000 })).pod.spec.activeDeadlineSeconds).toBe(900);
    expect(build(plan()).pod.spec.activeDeadlineSeconds).toBeUndefined();
  });
});
