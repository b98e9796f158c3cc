import { describe, expect, it } from 'vitest';
import { loadObject } from '@/tests/fixtures/gitops/load-fixtures';
import { compareApp, diffResource } from './diff';
import type { KubeObject } from './k8s-object';
import { MANAGED_LABEL, TRACKING_ANNOTATION, trackedBy, withTracking } from './tracking';

const git = loadObject('diff/deployment-git.yaml');
const predicted = loadObject('diff/deployment-predicted.yaml');
const live = loadObject('diff/deployment-live.yaml');
const scaled = loadObject('diff/deployment-live-scaled.yaml');
const KEY = 'apps/Deployment/demo/web';

const withReplicas = (obj: KubeObject, replicas: number): KubeObject => ({
  ...obj,
  spec: { ...(obj.spec as object), replicas },
});

describe('a freshly synced Deployment', () => {
  it('shows no diff against the dry-run result, server defaults and metadata notwithstanding', () => {
    const result = compareApp([{ obj: git, predictedLive: predicted }], [live], [live]);
    expect(result.status).toBe('Synced');
    expect(result.resources).toEqual([expect.objectContaining({ key: KEY, status: 'Synced', diff: '' })]);
  });

  it('shows no diff either when only the Git manifest is known (field-subset fallback)', () => {
    expect(diffResource(KEY, { obj: git }, live)).toMatchObject({ status: 'Synced', diff: '' });
  });
});

describe('the texts remembered per compared object', () => {
  it('a new live object is printed again; the same objects give the same result', () => {
    const first = diffResource(KEY, { obj: git, predictedLive: predicted }, live);
    expect(diffResource(KEY, { obj: git, predictedLive: predicted }, live)).toEqual(first);
    const drifted = diffResource(KEY, { obj: git, predictedLive: predicted }, withReplicas(live, 7));
    expect(drifted.status).toBe('OutOfSync');
    expect(drifted.normalizedLive).toMatch(/replicas: 7/);
    // Another ignore rule for the same objects is another text.
    const ignored = diffResource(KEY, { obj: git, predictedLive: predicted }, withReplicas(live, 7), {
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
    });
    expect(ignored.status).toBe('Synced');
  });
});

describe('drift and changes', () => {
  it('reports a live replica change as OutOfSync with a diff on replicas', () => {
    const result = compareApp([{ obj: git, predictedLive: predicted }], [scaled], [scaled]);
    expect(result.status).toBe('OutOfSync');
    const [res] = result.resources;
    expect(res.status).toBe('OutOfSync');
    expect(res.diff).toContain(`--- live/${KEY}\n+++ desired/${KEY}\n`);
    expect(res.diff).toMatch(/^- {2}replicas: 5$/m);
    expect(res.diff).toMatch(/^\+ {2}replicas: 3$/m);
    expect(res.diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toHaveLength(2);
  });

  it('reports a replica change in Git the same way', () => {
    const result = compareApp(
      [{ obj: withReplicas(git, 4), predictedLive: withReplicas(predicted, 4) }],
      [live],
      [live],
    );
    expect(result.resources[0].diff).toMatch(/^\+ {2}replicas: 4$/m);
  });

  it('catches drift in the fallback too', () => {
    expect(diffResource(KEY, { obj: git }, scaled).diff).toMatch(/^- {2}replicas: 5$/m);
  });

  it('ignores a field listed in ignoreDifferences', () => {
    const result = compareApp([{ obj: git, predictedLive: predicted }], [scaled], [scaled], {
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
    });
    expect(result.status).toBe('Synced');
  });
});

describe('missing and extra resources', () => {
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'old-settings',
      namespace: 'demo',
      annotations: { 'keelson.dev/tracking-id': 'shop:/ConfigMap:demo/old-settings' },
    },
    data: { a: '1' },
  };

  it('marks a resource in Git but not live as missing and OutOfSync, its whole manifest added', () => {
    const [res] = compareApp([{ obj: git }], [], []).resources;
    expect(res).toMatchObject({ key: KEY, status: 'OutOfSync', missing: true });
    expect(res.diff).toContain('@@ -0,0 +1,');
    expect(res.diff).toMatch(/^\+ {2}replicas: 3$/m);
  });

  it('marks a tracked live resource that left Git as requiring prune', () => {
    const result = compareApp([{ obj: git, predictedLive: predicted }], [live, configMap], [live, configMap]);
    expect(result.status).toBe('OutOfSync');
    expect(result.resources.map((r) => [r.key, r.status, r.requiresPrune ?? false])).toEqual([
      ['/ConfigMap/demo/old-settings', 'OutOfSync', true],
      [KEY, 'Synced', false],
    ]);
    expect(result.resources[0].diff).toMatch(/^- {2}a: "1"$/m);
  });

  it('ignores live objects the app does not track', () => {
    expect(compareApp([{ obj: git, predictedLive: predicted }], [live, configMap], [live]).status).toBe('Synced');
  });

  it('leaves hooks out of the comparison', () => {
    const hook: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'demo', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
    };
    const result = compareApp([{ obj: git, predictedLive: predicted }, { obj: hook }], [live], [live, hook]);
    expect(result.resources.map((r) => r.key)).toEqual([KEY]);
  });
});

it('the Git fixture is exactly what withTracking makes of the plain manifest', () => {
  const { [TRACKING_ANNOTATION]: _a, ...annotations } = git.metadata.annotations ?? {};
  const { [MANAGED_LABEL]: _l, ...labels } = git.metadata.labels ?? {};
  const plain: KubeObject = { ...git, metadata: { ...git.metadata, annotations, labels } };
  expect(withTracking(plain, 'shop')).toEqual(git);
  expect(trackedBy(live)).toBe('shop');
});
