import { describe, expect, it } from 'vitest';
import { describeSettings } from './settings-pipelines';

const view = {
  setting: {
    cluster: 'stored',
    namespace: 'ci-{project}',
    maxConcurrentTaskRuns: 20,
    keepFinishedPodsMinutes: 0,
    startTimeoutSeconds: 300,
    podEgressDenyCidrs: [],
    podQuota: null,
    podDefaults: null,
    allowExecutorOverride: true,
  },
  effective: { executor: 'kubernetes' as const, cluster: 'ci', clusterFrom: 'env' as const, clusterRegistered: false },
  envCluster: 'ci',
  clusters: ['stored'],
  stored: true,
  updatedAt: '2026-12-05T03:00:00.000Z',
  updatedBy: 'admin',
};

describe('keelson settings pipelines', () => {
  it('says which executor is in force, that the env set it, and that its cluster is not registered', () => {
    const text = describeSettings(view);
    expect(text).toContain('executor:       kubernetes on cluster ci (KEELSON_PIPELINE_CLUSTER)');
    expect(text).toContain('warning:        no registered cluster is named ci');
    expect(text).toContain('cluster:        stored');
    expect(text).toContain('namespace:      ci-{project}');
    expect(text).toContain('pod quota:      (none)');
    expect(text).toContain('override:       keelson.dev/executor may choose the executor');
  });

  it('prints the isolation fields: egress ranges, quota, container defaults, the override switch', () => {
    const text = describeSettings({
      ...view,
      setting: {
        ...view.setting,
        podEgressDenyCidrs: ['10.0.0.0/8'],
        podQuota: { cpu: '4', pods: 10 },
        podDefaults: { limits: { cpu: '1' } },
        allowExecutorOverride: false,
      },
    });
    expect(text).toContain('egress denied:  169.254.0.0/16, 10.0.0.0/8');
    expect(text).toContain('pod quota:      cpu=4, pods=10');
    expect(text).toContain('pod defaults:   requests (none); limits cpu=1');
    expect(text).toContain('override:       keelson.dev/executor naming another executor is refused');
  });

  it('prints the local executor and the defaults plainly', () => {
    const text = describeSettings({
      ...view,
      setting: { ...view.setting, cluster: null },
      effective: { executor: 'local', cluster: null, clusterFrom: 'none', clusterRegistered: true },
      envCluster: null,
      stored: false,
      updatedAt: null,
      updatedBy: null,
    });
    expect(text.split('\n')[0]).toBe('executor:       local');
    expect(text).toContain('cluster:        (none: local)');
    expect(text).toContain('(defaults, never stored)');
    expect(text).not.toContain('warning');
  });
});
