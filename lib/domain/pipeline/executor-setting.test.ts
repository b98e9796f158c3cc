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
    });
  });

  it('takes a namespace template that is a DNS-1123 label once {project} is replaced', () => {
    for (const ok of ['{project}', 'ci-{project}', '{project}-pipelines', 'shared-ci'])
      expect(ZPipelineExecutorSetting.safeParse({ namespace: ok }).success).toBe(true);
    for (const bad of ['CI-{project}', '{project}_ci', '-{project}', '{team}', '', 'a.b-{project}']) {
      const r = ZPipelineExecutorSetting.safeParse({ namespace: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0].path).toEqual(['namespace']);
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
