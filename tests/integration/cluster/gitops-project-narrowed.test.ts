/**
 * A project narrowed after its app synced: the objects the app tracks in a namespace the project no longer permits
 * are outside the app's scope, so the controller neither deletes them on a cascade delete nor prunes them on a sync
 * with prune. Argo CD does the same (finalizeApplicationDeletion deletes only getPermittedAppLiveObjects, and the
 * compare a sync plans from keeps only live objects proj.IsLiveResourcePermitted): it leaves them where they are.
 */
import { beforeAll, describe, expect } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { applications, auditLog } from '@/lib/adapters/db/schema';
import { getObject } from '@/lib/adapters/k8s';
import { defaultProject, type TAppProject } from '@/lib/domain/gitops/projects';
import { cascadeParam, deleteApplication } from '@/lib/server/gitops/applications/delete-application';
import { admin } from '../support/principals';
import { clusterAvailable, clusterTest as test, waitFor } from './cluster';
import { configMap } from './gitops-fixtures';
import { startGitops, type Gitops } from './gitops-harness';

/** A project permitting these namespaces of the test cluster only. */
const scoped = (name: string, namespaces: string[]): TAppProject => {
  const p = defaultProject();
  p.metadata.name = name;
  p.spec.destinations = namespaces.map((namespace) => ({ name: 'test', namespace }));
  return p;
};

/** A ConfigMap manifest pinned to a namespace (not the app's destination). */
const configMapIn = (namespace: string, name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata: {"v": "1"}\n`;

describe.skipIf(!clusterAvailable)('gitops controller: a narrowed project bounds delete and prune', () => {
  let h: Gitops;
  beforeAll(async () => {
    h = await startGitops();
  });
  const cm = (namespace: string, name: string) =>
    getObject(h.conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
  const putProject = (p: TAppProject) => h.t.deps().accessStores.projects.put(p, 'test');

  /** Creates `name` in project `project` and syncs it once; returns when its objects are live. */
  async function syncedApp(name: string, project: string, path: string, url: string, namespace: string) {
    await h.createApp(name, { source: { repoURL: url, path }, destination: { name: 'test', namespace } });
    await h.t.handle.db.update(applications).set({ project }).where(eq(applications.name, name));
    await h.updateSpec(name, (spec) => ({ ...spec, project }));
    await h.waitApp(name, (a) => a.generation === a.reconciledGeneration && a.resources.length > 0, 'compared');
    const op = await h.waitOperation(await h.sync(name));
    expect(op.phase, op.message).toBe('Succeeded');
  }

  test('cascade delete leaves an object in a namespace the project no longer permits, deletes the rest', async ({
    namespace,
    kube,
  }) => {
    const other = `${namespace}-b`;
    await kube.core.createNamespace({
      body: { metadata: { name: other, labels: { 'keelson.test/ephemeral': 'true' } } },
    });
    try {
      await putProject(scoped('narrow-del', [namespace, other]));
      const r = await h.repo({ 'app/a.yaml': configMap('in-a', { v: '1' }), 'app/b.yaml': configMapIn(other, 'in-b') });
      await syncedApp('narrow-del', 'narrow-del', 'app', r.url, namespace);
      expect(await cm(namespace, 'in-a')).toBeDefined();
      expect(await cm(other, 'in-b')).toBeDefined();

      // The project no longer permits the app's namespace A: the app may not act there any more.
      await putProject(scoped('narrow-del', [other]));
      const res = await deleteApplication(h.t.deps(), admin(), 'narrow-del', cascadeParam(null));
      expect(res).toMatchObject({ deleting: true });
      await waitFor('the app row to go', async () => (await h.app('narrow-del')) === undefined);
      await waitFor('in-b to be deleted', async () => (await cm(other, 'in-b')) === undefined);
      // As Argo CD: the object outside the project stays, untouched (no deletionTimestamp).
      const kept = await cm(namespace, 'in-a');
      expect(kept?.data).toEqual({ v: '1' });
      expect(kept?.metadata.deletionTimestamp).toBeUndefined();
      // And says so: the controller's audit row of the delete names what it left.
      const [row] = await h.t.handle.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.action, 'application.delete'),
            eq(auditLog.target, 'application/narrow-del'),
            eq(auditLog.via, 'controller'),
          ),
        );
      expect(row.details).toEqual({ leftOutsideProject: [`/ConfigMap/${namespace}/in-a`] });
    } finally {
      await kube.core.deleteNamespace({ name: other }).catch(() => undefined);
    }
  });

  test('a sync with prune after the project dropped the old namespace does not prune the object left there', async ({
    namespace,
    kube,
  }) => {
    const other = `${namespace}-b`;
    await kube.core.createNamespace({
      body: { metadata: { name: other, labels: { 'keelson.test/ephemeral': 'true' } } },
    });
    try {
      await putProject(scoped('narrow-prune', [namespace, other]));
      const r = await h.repo({ 'app/cm.yaml': configMap('moving', { v: '1' }) });
      await syncedApp('narrow-prune', 'narrow-prune', 'app', r.url, namespace);
      expect(await cm(namespace, 'moving')).toBeDefined();

      // Narrow the project to B and move the app there: the copy in A is tracked by the app but outside its project.
      await putProject(scoped('narrow-prune', [other]));
      await h.updateSpec('narrow-prune', (spec) => ({
        ...spec,
        destination: { ...spec.destination, namespace: other },
      }));
      await h.waitApp('narrow-prune', (a) => a.generation === a.reconciledGeneration, 'compared in B');
      const op = await h.waitOperation(await h.sync('narrow-prune', { prune: true }));
      expect(op.phase, op.message).toBe('Succeeded');
      expect((await cm(other, 'moving'))?.data).toEqual({ v: '1' });
      const kept = await cm(namespace, 'moving');
      expect(kept?.data).toEqual({ v: '1' });
      expect(kept?.metadata.deletionTimestamp).toBeUndefined();
      // Nor is it the app's resource any more: not listed, so nothing offers to prune it.
      const app = await h.app('narrow-prune');
      expect(app.resources.some((x) => x.namespace === namespace)).toBe(false);
    } finally {
      await kube.core.deleteNamespace({ name: other }).catch(() => undefined);
    }
  });
});
