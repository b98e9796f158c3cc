import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExecutorSettingStore } from '../../lib/adapters/db/executor-setting-store';
import { auditLog, systemSettings } from '../../lib/adapters/db/schema';
import type { PipelineSettingsDeps } from '../../lib/server/pipeline/pipeline-settings';
import { getPipelineSettings, updatePipelineSettings } from '../../lib/server/pipeline/pipeline-settings';
import { params, request, installTestWebContext, webEnv, webUser, type WebUser } from './security/web-support';
import { admin, principal, readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * Settings → Pipelines (`pipelines.executor`): who may read and change where TaskRuns run, what is refused (with the
 * field and how to fix it, nothing stored), the audit row of a change, and KEELSON_PIPELINE_CLUSTER winning.
 */
let t: TestDatabase;
let adminUser: WebUser;
let route: typeof import('../../app/api/v1/settings/pipelines/route');

const deps = (envCluster?: string): PipelineSettingsDeps => ({
  access: t.deps().access,
  executorSettings: createExecutorSettingStore(t.handle.db, t.deps().now),
  clusters: t.deps().gitops.clusters,
  envCluster,
});
const stored = async () =>
  (await t.handle.db.select().from(systemSettings).where(eq(systemSettings.key, 'pipelines.executor')))[0];
const audits = async () =>
  t.handle.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'settings.pipelines.update'), eq(auditLog.target, 'settings/pipelines')));
const denied = (action: string) => ({
  code: 'FORBIDDEN',
  details: { denied: { resource: 'clusters', action, object: '*' } },
});

interface Answer {
  action?: string;
  error: { issues: { path: string; message: string }[]; hint: string };
  [key: string]: unknown;
}

async function put(body: unknown, token = adminUser.token) {
  const res = await route.PUT(
    request('/api/v1/settings/pipelines', {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    params({}),
  );
  return { status: res.status, body: (await res.json()) as Answer };
}

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  installTestWebContext();
  adminUser = await webUser(t, 'admin');
  route = await import('../../app/api/v1/settings/pipelines/route');
  await t.deps().gitops.clusters.insert({
    name: 'ci-cluster',
    server: 'https://127.0.0.1:1',
    serverVersion: 'v1.33.0',
    sealedCredentials: 'unused-here',
    createdBy: 'admin',
    createdAt: new Date(),
  });
}, 120_000);

describe('GET /api/v1/settings/pipelines', () => {
  it('answers the defaults before anything is stored: the local executor, a namespace per project', async () => {
    const res = await route.GET(
      request('/api/v1/settings/pipelines', { headers: { authorization: `Bearer ${adminUser.token}` } }),
      params({}),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      setting: { cluster: null, namespace: '{project}', maxConcurrentTaskRuns: 20, keepFinishedPodsMinutes: 0 },
      effective: { executor: 'local', cluster: null, clusterFrom: 'none' },
      envCluster: null,
      clusters: ['ci-cluster'],
      stored: false,
    });
  });

  it('role:readonly may read it (as it may list clusters); a user with no role may not', async () => {
    expect((await getPipelineSettings(deps(), readonly())).stored).toBe(false);
    await t.deps().accessStores.rbac.put({ 'policy.default': '' }, 'test');
    try {
      await expect(getPipelineSettings(deps(), principal('nobody', [], 'session'))).rejects.toMatchObject(
        denied('get'),
      );
    } finally {
      await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'test');
    }
  });
});

describe('PUT /api/v1/settings/pipelines', () => {
  it('refuses an unregistered cluster with the field and how to fix it; nothing stored, nothing audited', async () => {
    const res = await put({ cluster: 'no-such-cluster' });
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([{ path: 'cluster', message: expect.stringContaining('no-such-cluster') }]);
    expect(res.body.error.hint).toMatch(/Register the cluster first.*ci-cluster.*cluster: null/);
    expect(await stored()).toBeUndefined();
    expect(await audits()).toHaveLength(0);
  });

  it('refuses a namespace template that is no DNS-1123 label and bad bounds, each with its path', async () => {
    const res = await put({ cluster: 'ci-cluster', namespace: 'CI_{project}', maxConcurrentTaskRuns: 0 });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i) => i.path).sort()).toEqual(['maxConcurrentTaskRuns', 'namespace']);
    expect(res.body.error.issues.find((i) => i.path === 'namespace')?.message).toMatch(/DNS-1123/);
    expect((await put({ cluster: 'ci-cluster', nameSpace: 'x' })).status).toBe(400);
    expect(await stored()).toBeUndefined();
  });

  it('refuses a shared or kube-* namespace template and bad isolation fields, each with its path (secreview15 F1, F4)', async () => {
    for (const namespace of ['default', 'kube-system', 'ci', 'kube-{project}']) {
      const res = await put({ cluster: 'ci-cluster', namespace });
      expect(res.status, namespace).toBe(400);
      expect(res.body.error.issues[0]).toEqual({ path: 'namespace', message: expect.stringContaining('{project}') });
    }
    const res = await put({
      cluster: 'ci-cluster',
      podEgressDenyCidrs: ['10.0.0.0/8', 'internal'],
      podQuota: { cpu: 'four', memory: '8Gi' },
      allowExecutorOverride: 'sometimes',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i) => i.path).sort()).toEqual([
      'allowExecutorOverride',
      'podEgressDenyCidrs.1',
      'podQuota.cpu',
    ]);
    // A quota on memory needs a default memory limit, or containers without one (Tekton's init containers) are refused.
    const noDefault = await put({ cluster: 'ci-cluster', podQuota: { memory: '8Gi' } });
    expect(noDefault.body.error.issues).toEqual([
      { path: 'podDefaults.limits.memory', message: expect.stringContaining('podQuota.memory') },
    ]);
    expect(await stored()).toBeUndefined();
    expect(await audits()).toHaveLength(0);
  });

  it('a role:readonly user, or one with clusters, update on that one cluster only, may not change it', async () => {
    await expect(updatePipelineSettings(deps(), readonly(), { cluster: 'ci-cluster' })).rejects.toMatchObject(
      denied('update'),
    );
    await t
      .deps()
      .accessStores.rbac.put(
        { 'policy.default': 'role:readonly', 'policy.csv': 'p, ops, clusters, update, ci-cluster, allow' },
        'test',
      );
    try {
      await expect(
        updatePipelineSettings(deps(), principal('ops', [], 'session'), { cluster: 'ci-cluster' }),
      ).rejects.toMatchObject(denied('update'));
    } finally {
      await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'test');
    }
    expect(await stored()).toBeUndefined();
  });

  it('stores what the admin sends (defaults for the rest) with one audit row naming the change', async () => {
    const res = await put({ cluster: 'ci-cluster', namespace: 'ci-{project}', maxConcurrentTaskRuns: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      action: 'configured',
      setting: { cluster: 'ci-cluster', namespace: 'ci-{project}', maxConcurrentTaskRuns: 5, startTimeoutSeconds: 300 },
      effective: { executor: 'kubernetes', cluster: 'ci-cluster', clusterFrom: 'setting', clusterRegistered: true },
      stored: true,
      updatedBy: 'admin',
    });
    const rows = await audits();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'admin', via: 'api', result: 'success' });
    expect(rows[0].details).toMatchObject({
      diff: expect.arrayContaining([{ op: 'add', path: '/cluster', value: 'ci-cluster' }]),
    });
    // The same again changes nothing and writes no row.
    expect(
      (await put({ cluster: 'ci-cluster', namespace: 'ci-{project}', maxConcurrentTaskRuns: 5 })).body.action,
    ).toBe('unchanged');
    expect(await audits()).toHaveLength(1);
  });

  it('KEELSON_PIPELINE_CLUSTER wins over the stored cluster, and an unregistered one is shown as such', async () => {
    const view = await getPipelineSettings(deps('from-env'), admin());
    expect(view.setting.cluster).toBe('ci-cluster');
    expect(view.effective).toEqual({
      executor: 'kubernetes',
      cluster: 'from-env',
      clusterFrom: 'env',
      clusterRegistered: false,
    });
    expect(view.envCluster).toBe('from-env');
  });

  it('stores and shows the isolation fields, the quota and the override switch', async () => {
    const isolation = {
      podEgressDenyCidrs: ['10.0.0.0/8'],
      podQuota: { cpu: '8', memory: '16Gi', pods: 30 },
      podDefaults: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '2Gi' } },
      allowExecutorOverride: false,
    };
    const res = await put({ cluster: 'ci-cluster', namespace: 'ci-{project}', maxConcurrentTaskRuns: 5, ...isolation });
    expect(res.status).toBe(200);
    expect(res.body.setting).toMatchObject(isolation);
    expect((await getPipelineSettings(deps(), admin())).setting).toMatchObject(isolation);
    const back = await put({ cluster: 'ci-cluster', namespace: 'ci-{project}', maxConcurrentTaskRuns: 5 });
    expect(back.body.setting).toMatchObject({ podQuota: null, podDefaults: null, allowExecutorOverride: true });
  });

  it('cluster: null goes back to the local executor', async () => {
    const view = await updatePipelineSettings(deps(), admin(), {
      cluster: null,
      namespace: 'ci-{project}',
      maxConcurrentTaskRuns: 5,
    });
    expect(view.effective).toMatchObject({ executor: 'local', cluster: null, clusterFrom: 'none' });
    expect(await audits()).toHaveLength(4);
  });
});
