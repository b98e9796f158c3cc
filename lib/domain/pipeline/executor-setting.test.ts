import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIPELINE_EXECUTOR_SETTING,
  effectiveExecutorSetting,
  namespaceFor,
  ZPipelineExecutorSetting,
} from './executor-setting';

describe('the pipelines.executor setting', () => {
  it('defaults: local executor, a namespace per project, 20 TaskRuns at once, pods deleted at once, 300 s to start', () => {
    expect(DEFAULT_PIPELINE_EXECUTOR_SETTING).toEqual({
      cluster: null,
      namespace: '{project}',
      maxConcurrentTaskRuns: 20,
      keepFinishedPodsMinutes: 0,
      startTimeoutSeconds: 300,
      podEgressDenyCidrs: [],
      podQuota: null,
      podDefaults: null,
      allowExecutorOverride: true,
    });
  });

  it('takes a namespace template that is a DNS-1123 label once {project} is replaced', () => {
    for (const ok of ['{project}', 'ci-{project}', '{project}-pipelines'])
      expect(ZPipelineExecutorSetting.safeParse({ namespace: ok }).success).toBe(true);
    for (const bad of ['CI-{project}', '{project}_ci', '-{project}', '{team}', '', 'a.b-{project}', 'shared-ci']) {
      const r = ZPipelineExecutorSetting.safeParse({ namespace: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0].path).toEqual(['namespace']);
    }
  });

  it('refuses a template without {project} (one namespace shared by every project) and kube-* results (F1)', () => {
    for (const bad of ['default', 'kube-system', 'ci', 'kube-{project}', 'kube-ci-{project}']) {
      const r = ZPipelineExecutorSetting.safeParse({ namespace: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0].path).toEqual(['namespace']);
      expect(r.error?.issues[0].message).toMatch(/\{project\}/);
    }
    // A project named kube-system gets no namespace from "{project}": never Kubernetes' own.
    expect(namespaceFor('{project}', 'kube-system')).toBeUndefined();
    expect(namespaceFor('{project}', 'kube-public')).toBeUndefined();
  });

  it('takes egress deny ranges, a quota and container defaults, each refused with its path when wrong (F4)', () => {
    const ok = ZPipelineExecutorSetting.parse({
      podEgressDenyCidrs: ['10.0.0.0/8'],
      podQuota: { cpu: '4', memory: '8Gi', pods: 20 },
      podDefaults: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      allowExecutorOverride: false,
    });
    expect(ok.podQuota).toEqual({ cpu: '4', memory: '8Gi', pods: 20 });
    const cases: [unknown, (string | number)[]][] = [
      [{ podEgressDenyCidrs: ['10.0.0.0'] }, ['podEgressDenyCidrs', 0]],
      [{ podQuota: { cpu: 'lots' } }, ['podQuota', 'cpu']],
      [{ podQuota: { pods: 0 } }, ['podQuota', 'pods']],
      [{ podQuota: { gpus: 1 } }, ['podQuota']],
      [{ podDefaults: { limits: { memory: '1 GB' } } }, ['podDefaults', 'limits', 'memory']],
      [{ podQuota: { memory: '8Gi' } }, ['podDefaults', 'limits', 'memory']],
      [{ allowExecutorOverride: 'no' }, ['allowExecutorOverride']],
    ];
    for (const [input, path] of cases) {
      const r = ZPipelineExecutorSetting.safeParse(input);
      expect(r.success, JSON.stringify(input)).toBe(false);
      expect(r.error?.issues[0].path).toEqual(path);
    }
  });

  it('refuses unknown fields and out-of-range bounds', () => {
    expect(ZPipelineExecutorSetting.safeParse({ clustr: 'x' }).success).toBe(false);
    expect(ZPipelineExecutorSetting.safeParse({ maxConcurrentTaskRuns: 0 }).success).toBe(false);
    expect(ZPipelineExecutorSetting.safeParse({ keepFinishedPodsMinutes: -1 }).success).toBe(false);
  });

  it('gives each project its namespace, none when the name does not fit a label', () => {
    expect(namespaceFor('{project}', 'team-a')).toBe('team-a');
    expect(namespaceFor('ci-{project}', 'team-a')).toBe('ci-team-a');
    expect(namespaceFor('ci-{project}', 'p'.repeat(62))).toBeUndefined();
  });

  it('KEELSON_PIPELINE_CLUSTER wins over the stored cluster and says so', () => {
    const stored = { ...DEFAULT_PIPELINE_EXECUTOR_SETTING, cluster: 'stored' };
    expect(effectiveExecutorSetting(stored, 'from-env')).toMatchObject({ cluster: 'from-env', clusterFrom: 'env' });
    expect(effectiveExecutorSetting(stored, undefined)).toMatchObject({ cluster: 'stored', clusterFrom: 'setting' });
    expect(effectiveExecutorSetting(undefined, undefined)).toMatchObject({ cluster: null, clusterFrom: 'none' });
  });
});
