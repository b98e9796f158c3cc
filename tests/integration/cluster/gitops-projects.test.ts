/**
 * Projects at sync time against the real control plane (issue 12): a project can change after the app was created,
 * so the controller checks every rendered kind on each compare and before an operation applies. A refused kind is
 * an InvalidSpecError condition naming the rule, auto-sync does not start, a queued operation ends Failed without
 * applying anything; loosening the project clears the condition and auto-sync carries on. A project with
 * orphanedResources lists the untracked objects of the app's namespace and warns (OrphanedResourceWarning).
 */
import { beforeAll, describe, expect } from 'vitest';
import { eq } from 'drizzle-orm';
import { applications } from '@/lib/adapters/db/schema';
import { createObject, getObject } from '@/lib/adapters/k8s';
import { defaultProject, type TAppProject } from '@/lib/domain/gitops/projects';
import { getApplication } from '@/lib/server/gitops/applications/get-application';
import { getResourceTree } from '@/lib/server/gitops/applications/get-resource-tree';
import { admin } from '../support/principals';
import { clusterAvailable, clusterTest as test, waitFor } from './cluster';
import { configMap, service } from './gitops-fixtures';
import { startGitops, type Gitops } from './gitops-harness';

const project = (namespaced: TAppProject['spec']['namespaceResourceWhitelist']): TAppProject => {
  const p = defaultProject();
  p.metadata.name = 'kinds';
  p.spec.namespaceResourceWhitelist = namespaced;
  return p;
};

describe.skipIf(!clusterAvailable)('gitops controller: the project decides at sync time', () => {
  let h: Gitops;
  beforeAll(async () => {
    h = await startGitops();
  });

  test('a refused kind: InvalidSpecError, no auto-sync, a manual operation fails unapplied; allowed again, it syncs', async ({
    namespace,
  }) => {
    const put = (p: TAppProject) => h.t.deps().accessStores.projects.put(p, 'test');
    await put(project([{ group: '', kind: 'ConfigMap' }]));
    const r = await h.repo({ 'app/cm.yaml': configMap('settings', { a: '1' }), 'app/svc.yaml': service('web') });
    await h.createApp('kinds-app', {
      source: { repoURL: r.url, path: 'app' },
      destination: { name: 'test', namespace },
    });
    await h.t.handle.db.update(applications).set({ project: 'kinds' }).where(eq(applications.name, 'kinds-app'));
    await h.updateSpec('kinds-app', (spec) => ({
      ...spec,
      project: 'kinds',
      syncPolicy: { ...spec.syncPolicy, automated: { prune: false, selfHeal: false, allowEmpty: false } },
    }));

    const invalid = await h.waitApp(
      'kinds-app',
      (a) => a.conditions.some((c) => c.type === 'InvalidSpecError'),
      'InvalidSpecError',
    );
    const condition = invalid.conditions.find((c) => c.type === 'InvalidSpecError');
    expect(condition?.message).toContain('resource core/Service');
    expect(condition?.message).toContain('(refused by namespaceResourceWhitelist');
    expect(await h.lastOperation('kinds-app')).toBeUndefined();

    // A queued operation (as one requested before the project was tightened) ends Failed, nothing applied.
    const op = await h.waitOperation(await h.sync('kinds-app'));
    expect(op.phase).toBe('Failed');
    expect(op.message).toContain('InvalidSpecError');
    expect(op.message).toContain('namespaceResourceWhitelist');
    const cm = await getObject(h.conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'settings' });
    expect(cm).toBeUndefined();

    await put(
      project([
        { group: '', kind: 'ConfigMap' },
        { group: '', kind: 'Service' },
      ]),
    );
    await h.refresh('kinds-app');
    const synced = await h.waitApp(
      'kinds-app',
      (a) => a.syncStatus === 'Synced' && !a.conditions.some((c) => c.type === 'InvalidSpecError'),
      'Synced by auto-sync once allowed',
      60_000,
    );
    expect(synced.conditions.map((c) => c.type)).not.toContain('InvalidSpecError');
    const auto = await h.lastOperation('kinds-app');
    expect(auto?.operation.initiatedBy).toMatchObject({ automated: true });
  });

  test('an active deny window holds auto-sync and a queued operation; once lifted, the operation runs', async ({
    namespace,
  }) => {
    const frozen = defaultProject();
    frozen.metadata.name = 'frozen';
    frozen.spec.syncWindows = [{ kind: 'deny', schedule: '* * * * *', duration: '24h', applications: ['*'] }];
    await h.t.deps().accessStores.projects.put(frozen, 'test');
    const r = await h.repo({ 'app/cm.yaml': configMap('frozen', { a: '1' }) });
    await h.createApp('frozen-app', {
      source: { repoURL: r.url, path: 'app' },
      destination: { name: 'test', namespace },
    });
    await h.t.handle.db.update(applications).set({ project: 'frozen' }).where(eq(applications.name, 'frozen-app'));
    await h.updateSpec('frozen-app', (spec) => ({
      ...spec,
      project: 'frozen',
      syncPolicy: { ...spec.syncPolicy, automated: { prune: false, selfHeal: false, allowEmpty: false } },
    }));
    await h.waitApp('frozen-app', (a) => a.syncStatus === 'OutOfSync' && a.generation === a.reconciledGeneration);
    await h.refresh('frozen-app');
    await h.waitApp('frozen-app', (a) => a.refreshRequested === null, 'a second compare');
    expect(await h.lastOperation('frozen-app')).toBeUndefined();

    const id = await h.sync('frozen-app');
    await waitFor('the operation held by the window', async () => {
      const op = await h.lastOperation('frozen-app');
      return op?.message?.includes('blocked by sync window') && !op.finishedAt ? op : undefined;
    });
    await h.t.deps().accessStores.projects.put({ ...frozen, spec: { ...frozen.spec, syncWindows: [] } }, 'test');
    const op = await h.waitOperation(id);
    expect(op.phase, op.message).toBe('Succeeded');
  });

  test('orphanedResources: a stray ConfigMap in the namespace is an orphaned node and a warning; ignore clears it', async ({
    namespace,
  }) => {
    const watchful = (ignore?: { kind: string; name: string }[]): TAppProject => {
      const p = defaultProject();
      p.metadata.name = 'watchful';
      p.spec.orphanedResources = { warn: true, ...(ignore ? { ignore } : {}) };
      return p;
    };
    const put = (p: TAppProject) => h.t.deps().accessStores.projects.put(p, 'test');
    await put(watchful());
    const r = await h.repo({ 'app/cm.yaml': configMap('settings', { a: '1' }) });
    await h.createApp('watchful-app', {
      source: { repoURL: r.url, path: 'app' },
      destination: { name: 'test', namespace },
    });
    await h.t.handle.db.update(applications).set({ project: 'watchful' }).where(eq(applications.name, 'watchful-app'));
    await h.updateSpec('watchful-app', (spec) => ({ ...spec, project: 'watchful' }));
    const first = await h.waitApp(
      'watchful-app',
      (a) => a.generation === a.reconciledGeneration && !a.refreshRequested,
    );
    // The namespace's default ServiceAccount and kube-root-ca.crt are Argo CD's known exclusions; settings is desired.
    expect(first.conditions.map((c) => c.type)).not.toContain('OrphanedResourceWarning');

    await createObject(h.conn, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'stray-1', namespace },
      data: { by: 'hand' },
    });
    // No refresh asked: the watch event of an untracked object refreshes the apps monitoring its namespace.
    const warned = await h.waitApp(
      'watchful-app',
      (a) => a.conditions.some((c) => c.type === 'OrphanedResourceWarning'),
      'OrphanedResourceWarning',
    );
    expect(warned.conditions.find((c) => c.type === 'OrphanedResourceWarning')?.message).toBe(
      'Application has 1 orphaned resources',
    );
    expect(warned.tree.filter((n) => n.orphaned).map((n) => [n.kind, n.namespace, n.name])).toEqual([
      ['ConfigMap', namespace, 'stray-1'],
    ]);
    // The API: status.orphanedResources, and the tree's orphanedNodes apart from its nodes (as Argo CD).
    const app = await getApplication(h.t.deps(), admin(), 'watchful-app');
    expect(app.status.orphanedResources).toEqual([{ group: '', kind: 'ConfigMap', namespace, name: 'stray-1' }]);
    const tree = await getResourceTree(h.t.deps(), admin(), 'watchful-app');
    expect(tree.orphanedNodes?.map((n) => n.name)).toEqual(['stray-1']);
    expect(tree.nodes.some((n) => n.orphaned)).toBe(false);

    await put(watchful([{ kind: 'ConfigMap', name: 'stray-*' }]));
    await h.refresh('watchful-app');
    const ignored = await h.waitApp(
      'watchful-app',
      (a) => !a.conditions.some((c) => c.type === 'OrphanedResourceWarning'),
      'the warning gone once ignored',
    );
    expect(ignored.tree.some((n) => n.orphaned)).toBe(false);
    expect((await getApplication(h.t.deps(), admin(), 'watchful-app')).status.orphanedResources).toBeUndefined();
  });
});
