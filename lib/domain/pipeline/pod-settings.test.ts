import { describe, expect, it } from 'vitest';
import { mergePodTemplate, pipelineTaskRunSettings, podPlan } from './pod-settings';
import { resolveTaskRun } from './resolve-task-run';
import { ZTaskSpec } from './task-schemas';

describe('pipelineTaskRunSettings (upstream PipelineRun.GetTaskRunSpec)', () => {
  // Fixtures after upstream's TestPipelineRunGetPodSpec.
  const run = {
    taskRunTemplate: { serviceAccountName: 'defaultSA', podTemplate: { schedulerName: 'scheduleTest' } },
    taskRunSpecs: [
      { pipelineTaskName: 'bar', serviceAccountName: 'customSA' },
      {
        pipelineTaskName: 'baz',
        podTemplate: { nodeSelector: { disk: 'ssd' } },
        stepSpecs: [{ name: 'build', computeResources: { limits: { memory: '1Gi' } } }],
        sidecarSpecs: [{ name: 'db', computeResources: { requests: { cpu: '1' } } }],
        computeResources: undefined,
      },
    ],
  };

  it('takes taskRunTemplate for a task without a taskRunSpecs entry', () => {
    expect(pipelineTaskRunSettings(run, 'foo')).toEqual({
      serviceAccountName: 'defaultSA',
      podTemplate: { schedulerName: 'scheduleTest' },
    });
  });

  it("lets the entry's serviceAccountName win and keeps the template's pod template", () => {
    expect(pipelineTaskRunSettings(run, 'bar')).toEqual({
      serviceAccountName: 'customSA',
      podTemplate: { schedulerName: 'scheduleTest' },
    });
  });

  it("merges the entry's pod template over the run's, and takes its stepSpecs and sidecarSpecs", () => {
    expect(pipelineTaskRunSettings(run, 'baz')).toEqual({
      serviceAccountName: 'defaultSA',
      podTemplate: { schedulerName: 'scheduleTest', nodeSelector: { disk: 'ssd' } },
      stepSpecs: [{ name: 'build', computeResources: { limits: { memory: '1Gi' } } }],
      sidecarSpecs: [{ name: 'db', computeResources: { requests: { cpu: '1' } } }],
    });
  });

  it("falls back to the run's serviceAccountName (v1beta1's place) and gives nothing without settings", () => {
    expect(pipelineTaskRunSettings({ serviceAccountName: 'old' }, 'x')).toEqual({ serviceAccountName: 'old' });
    expect(pipelineTaskRunSettings(undefined, 'x')).toEqual({});
  });
});

describe('mergePodTemplate (upstream MergePodTemplateWithDefault)', () => {
  it("keeps the template's fields, fills unset ones from the default, merges env and volumes by name", () => {
    const merged = mergePodTemplate(
      {
        nodeSelector: { arch: 'arm64' },
        env: [{ name: 'A', value: 'task' }],
        volumes: [{ name: 'v', emptyDir: {} }],
        schedulerName: '',
      },
      {
        nodeSelector: { arch: 'amd64' },
        tolerations: [{ key: 'k', operator: 'Exists' }],
        env: [
          { name: 'A', value: 'run' },
          { name: 'B', value: 'run' },
        ],
        volumes: [{ name: 'w', configMap: { name: 'c' } }],
        schedulerName: 'volcano',
        hostNetwork: true,
      },
    );
    expect(merged).toEqual({
      nodeSelector: { arch: 'arm64' },
      tolerations: [{ key: 'k', operator: 'Exists' }],
      env: [
        { name: 'A', value: 'task' },
        { name: 'B', value: 'run' },
      ],
      volumes: [
        { name: 'v', emptyDir: {} },
        { name: 'w', configMap: { name: 'c' } },
      ],
      schedulerName: 'volcano',
      hostNetwork: true,
    });
  });

  it('returns either side when the other is missing', () => {
    expect(mergePodTemplate(undefined, { a: 1 })).toEqual({ a: 1 });
    expect(mergePodTemplate({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});

describe('podPlan', () => {
  it('substitutes $(params) in the pod template, nodeSelector keys included, but no context variables', () => {
    const plan = podPlan(
      {
        serviceAccountName: 'builder',
        podTemplate: {
          nodeSelector: { 'kubernetes.io/$(params.key)': '$(params.arch)' },
          tolerations: [{ key: 'arch', value: '$(params.arch)', effect: 'NoSchedule' }],
          hostAliases: [{ ip: '10.0.0.1', hostnames: ['$(context.taskRun.name)'] }],
          securityContext: { fsGroup: 1000 },
        },
      },
      { 'params.arch': 'arm64', 'params.key': 'arch' },
    );
    expect(plan).toEqual({
      serviceAccountName: 'builder',
      podTemplate: {
        nodeSelector: { 'kubernetes.io/arch': 'arm64' },
        tolerations: [{ key: 'arch', value: 'arm64', effect: 'NoSchedule' }],
        hostAliases: [{ ip: '10.0.0.1', hostnames: ['$(context.taskRun.name)'] }],
        securityContext: { fsGroup: 1000 },
      },
    });
    expect(podPlan({}, {})).toBeUndefined();
  });
});

describe('resolveTaskRun with pod settings', () => {
  const spec = ZTaskSpec.parse({
    params: [{ name: 'arch', default: 'amd64' }],
    stepTemplate: {
      computeResources: { requests: { cpu: '250m' } },
      securityContext: { runAsNonRoot: true },
      imagePullPolicy: '$(params.pull)',
    },
    steps: [
      { name: 'build', image: 'golang', script: 'go build', computeResources: { limits: { memory: '1Gi' } } },
      { name: 'test', image: 'golang', script: 'go test', securityContext: { runAsUser: 1000 } },
    ],
  });
  const resolve = (pod: Parameters<typeof resolveTaskRun>[0]['pod'], params = {}) => {
    const r = resolveTaskRun({
      spec,
      params: { pull: 'IfNotPresent', ...params },
      context: { taskRunName: 'tr', namespace: 'p', taskRunUid: 'u', taskName: 't', retryCount: 0 },
      pod,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.plan;
  };

  it('gives each step its merged resources, securityContext and substituted imagePullPolicy', () => {
    const plan = resolve(undefined);
    expect(plan.steps.map((s) => [s.computeResources, s.securityContext, s.imagePullPolicy])).toEqual([
      [{ limits: { memory: '1Gi' }, requests: { cpu: '250m' } }, { runAsNonRoot: true }, 'IfNotPresent'],
      [{ requests: { cpu: '250m' } }, { runAsNonRoot: true, runAsUser: 1000 }, 'IfNotPresent'],
    ]);
    expect(plan.pod).toBeUndefined();
  });

  it('merges stepSpecs over a step by name', () => {
    const plan = resolve({ stepSpecs: [{ name: 'test', computeResources: { requests: { cpu: '1' } } }] });
    expect(plan.steps[1].computeResources).toEqual({ requests: { cpu: '1' } });
    expect(plan.steps[0].computeResources).toEqual({ limits: { memory: '1Gi' }, requests: { cpu: '250m' } });
  });

  it('splits task-level computeResources across the steps, replacing theirs', () => {
    const plan = resolve({ computeResources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } } });
    expect(plan.steps.map((s) => s.computeResources)).toEqual([
      { limits: { memory: '4Gi' }, requests: { cpu: '500m', memory: '1Gi' } },
      { limits: { memory: '4Gi' }, requests: { cpu: '500m', memory: '1Gi' } },
    ]);
  });

  it('records the pod settings with the params (defaults included) substituted', () => {
    const plan = resolve({ serviceAccountName: 'sa', podTemplate: { nodeSelector: { arch: '$(params.arch)' } } });
    expect(plan.pod).toEqual({ serviceAccountName: 'sa', podTemplate: { nodeSelector: { arch: 'amd64' } } });
  });

  it('leaves out an imagePullPolicy Kubernetes does not know (the local executor never read it)', () => {
    expect(resolve(undefined, { pull: 'Sometimes' }).steps[0].imagePullPolicy).toBeUndefined();
  });
});
