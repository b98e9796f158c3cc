import { beforeAll, describe, expect } from 'vitest';
import { clusterAvailable, clusterTest as test } from './cluster';
import { configMap } from './gitops-fixtures';
import { startGitops, type AppRow, type Gitops } from './gitops-harness';

describe.skipIf(!clusterAvailable)('ignoreDifferences against the real control plane', () => {
  let h: Gitops;
  beforeAll(async () => {
    h = await startGitops();
  });

  test("jqPathExpressions and managedFieldsManagers leave another field manager's edit out of the diff", async ({
    namespace,
  }) => {
    const r = await h.repo({ 'cm.yaml': configMap('tuned', { a: '1', b: '2' }) });
    await h.createApp('tuned', { source: { repoURL: r.url, path: '' }, destination: { name: 'test', namespace } });
    await h.waitApp('tuned', (a) => a.resources.length === 1);
    await h.waitOperation(await h.sync('tuned'));
    await h.waitApp('tuned', (a) => a.syncStatus === 'Synced', 'Synced after the first sync');

    // Another controller owns data.b from now on (its field manager is "tweaker").
    await h.conn.requestOk({
      method: 'PATCH',
      path: `/api/v1/namespaces/${namespace}/configmaps/tuned?fieldManager=tweaker`,
      contentType: 'application/merge-patch+json',
      body: { data: { b: 'tweaked' } },
    });
    await h.refresh('tuned');
    const drifted = await h.waitApp('tuned', (a) => a.syncStatus === 'OutOfSync', 'OutOfSync after the edit');
    expect(Object.values(drifted.diffs)[0].diff).toContain('tweaked');

    const withRule = async (
      rule: AppRow['spec']['ignoreDifferences'][number],
      what: string,
      ok: (a: AppRow) => boolean,
    ) => {
      await h.updateSpec('tuned', (spec) => ({ ...spec, ignoreDifferences: [rule] }));
      await h.refresh('tuned');
      return h.waitApp('tuned', (a) => a.generation === a.reconciledGeneration && ok(a), what);
    };
    await withRule(
      { group: '', kind: 'ConfigMap', jqPathExpressions: ['.data.b'] },
      'Synced with a jq rule',
      (a) => a.syncStatus === 'Synced',
    );
    await withRule(
      { group: '', kind: 'ConfigMap', managedFieldsManagers: ['tweaker'] },
      'Synced with a managers rule',
      (a) => a.syncStatus === 'Synced',
    );
    await withRule(
      { group: '', kind: 'ConfigMap', managedFieldsManagers: ['someone-else'] },
      'OutOfSync with an unrelated manager',
      (a) => a.syncStatus === 'OutOfSync',
    );
    await withRule(
      { group: '', kind: 'ConfigMap', name: 'other', jqPathExpressions: ['.data.b'] },
      'OutOfSync when the rule names another object',
      (a) => a.syncStatus === 'OutOfSync',
    );
  });

  test('a jq expression that fails on an object is a ComparisonError, and the rest of the diff stands', async ({
    namespace,
  }) => {
    const r = await h.repo({ 'cm.yaml': configMap('strict', { a: '1' }) });
    await h.createApp('strict', {
      source: { repoURL: r.url, path: '' },
      destination: { name: 'test', namespace },
      ignoreDifferences: [{ group: '', kind: 'ConfigMap', jqPathExpressions: ['.data.a | error("boom")'] }],
    });
    const app = await h.waitApp(
      'strict',
      (a) => a.conditions.some((c) => c.type === 'ComparisonError'),
      'a ComparisonError',
    );
    expect(app.conditions.find((c) => c.type === 'ComparisonError')?.message).toContain('boom');
    expect(app.syncStatus).toBe('OutOfSync');
  });
});
