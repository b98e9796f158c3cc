import { eq } from 'drizzle-orm';
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { applications } from '../../lib/adapters/db/schema';
import { JqRunner } from '../../lib/adapters/jq';
import { createApplication } from '../../lib/server/gitops/applications/create-application';
import { deleteApplication } from '../../lib/server/gitops/applications/delete-application';
import { getApplication } from '../../lib/server/gitops/applications/get-application';
import { requestRefresh } from '../../lib/server/gitops/applications/request-refresh';
import { updateApplication } from '../../lib/server/gitops/applications/update-application';
import { CONTROLLER_CHANNEL } from '../../lib/server/gitops/notify-controller';
import type { Principal } from '../../lib/server/principal';
import { appDoc, failure, seedBasics } from './applications-support';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let me: Principal;
const jq = new JqRunner();
const opts = { allowLocalRepos: false, jq };
const count = async () => (await t.handle.db.select({ id: applications.id }).from(applications)).length;

beforeAll(async () => {
  t = await testDatabase();
  me = await seedBasics(t);
});

it('creates an app from an Argo CD document: copy columns, refresh requested, controller notified', async () => {
  const listener = new pg.Client({ connectionString: t.url });
  await listener.connect();
  const heard: string[] = [];
  listener.on('notification', (n) => heard.push(n.payload ?? ''));
  await listener.query(`LISTEN ${CONTROLLER_CHANNEL}`);
  try {
    const { created, application } = await createApplication(
      t.deps(),
      me,
      appDoc('web', { repoURL: 'HTTPS://GitHub.com/acme/deploy.git/' }),
      opts,
    );
    expect(created).toBe(true);
    expect(application).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web', generation: 1, createdBy: 'ops' },
    });
    expect(application.status).toMatchObject({
      sync: { status: 'Unknown' },
      health: { status: 'Unknown' },
      history: [],
      refreshRequested: 'normal',
    });
    const [row] = await t.handle.db.select().from(applications).where(eq(applications.name, 'web'));
    expect(row).toMatchObject({
      normalizedRepoUrl: 'https://github.com/acme/deploy',
      targetRevision: 'main',
      path: 'apps/web',
      clusterName: 'prod',
      destNamespace: 'web',
      automated: false,
      refreshRequested: 'normal',
    });
    await expect.poll(() => heard).toContain('web');
  } finally {
    await listener.end();
  }
});

it('refuses bad documents with field paths and a hint, storing nothing', async () => {
  const before = await count();
  const cases: [unknown, string][] = [
    [{ ...appDoc('Bad_Name') }, 'metadata.name'],
    [{ ...appDoc('x'), kind: 'Deployment' }, 'kind'],
    [
      { metadata: { name: 'x' }, spec: { source: { repoURL: '' }, destination: { name: 'prod' } } },
      'spec.source.repoURL',
    ],
    [
      { metadata: { name: 'x' }, spec: { source: { repoURL: 'https://h/r' }, destination: { namespace: 'a' } } },
      'spec.destination.name',
    ],
    [
      { ...appDoc('x'), spec: { ...appDoc('x').spec, syncPolicy: { syncOptions: ['CreateNamespace'] } } },
      'spec.syncPolicy.syncOptions[0]',
    ],
    [appDoc('x', { cluster: 'nowhere' }), 'spec.destination.name'],
    [appDoc('x', { repoURL: 'file:///srv/repo.git' }), 'spec.source.repoURL'],
    [appDoc('x', { repoURL: '/srv/repo' }), 'spec.source.repoURL'],
    [appDoc('x', { repoURL: 'ext::sh -c evil' }), 'spec.source.repoURL'],
    [appDoc('x', { repoURL: 'https://bob:hunter2@github.com/acme/deploy' }), 'spec.source.repoURL'],
    [appDoc('x', { path: '../../etc' }), 'spec.source.path'],
  ];
  for (const [doc, path] of cases) {
    const err = await failure(createApplication(t.deps(), me, doc, opts));
    expect(err?.status, path).toBe(400);
    expect(
      err?.details.issues?.map((i) => i.path),
      path,
    ).toContain(path);
    expect(err?.details.hint, path).toBeTruthy();
  }
  const unknownCluster = await failure(createApplication(t.deps(), me, appDoc('x', { cluster: 'nowhere' }), opts));
  expect(unknownCluster?.details.hint).toContain('prod');
  expect(
    JSON.stringify(
      await failure(
        createApplication(t.deps(), me, appDoc('x', { repoURL: 'https://bob:hunter2@github.com/a/b' }), opts),
      ),
    ),
  ).not.toContain('hunter2');
  expect(await count()).toBe(before);
});

it('refuses multi-source Applications with a clear message', async () => {
  const doc = {
    ...appDoc('multi'),
    spec: { ...appDoc('multi').spec, sources: [{ repoURL: 'https://h/a' }, { repoURL: 'https://h/b' }] },
  };
  const err = await failure(createApplication(t.deps(), me, doc, opts));
  expect(err?.status).toBe(400);
  expect(err?.details.issues?.[0]).toMatchObject({
    path: 'spec.sources',
    message: expect.stringContaining('multi-source'),
  });
});

it('refuses Helm chart repository sources instead of cloning them as Git, storing nothing', async () => {
  const base = appDoc('chart');
  const doc = {
    ...base,
    spec: {
      ...base.spec,
      source: { repoURL: 'https://charts.example.com', chart: 'ingress-nginx', targetRevision: '4.10.0' },
    },
  };
  const before = await count();
  const err = await failure(createApplication(t.deps(), me, doc, opts));
  expect(err?.status).toBe(400);
  expect(err?.details.issues?.[0]).toMatchObject({
    path: 'spec.source.chart',
    message: expect.stringContaining('Helm chart repositories'),
  });
  expect(err?.details.hint).toContain('spec.source.path');
  expect(await count()).toBe(before);
});

it('checks ignoreDifferences jq expressions without running them, and keeps jq and managedFields rules', async () => {
  const base = appDoc('ignores');
  const withRules = (rules: unknown) => ({ ...base, spec: { ...base.spec, ignoreDifferences: rules } }) as typeof base;
  const before = await count();
  const bad = await failure(
    createApplication(
      t.deps(),
      me,
      withRules([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas', '.spec.[oops'] }]),
      opts,
    ),
  );
  expect(bad?.status).toBe(400);
  expect(bad?.details.issues?.[0]).toMatchObject({
    path: 'spec.ignoreDifferences[0].jqPathExpressions[1]',
    message: expect.stringContaining('syntax error'),
  });
  expect(bad?.details.hint).toContain('.webhooks[]?.clientConfig.caBundle');
  expect(await count()).toBe(before);
  // A loop is fine to store: the check compiles the expression, it does not run it.
  const rules = [
    {
      group: 'admissionregistration.k8s.io',
      kind: 'MutatingWebhookConfiguration',
      jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle', 'repeat(.)'],
    },
    { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] },
  ];
  const { application } = await createApplication(t.deps(), me, withRules(rules), opts);
  expect(application.spec.ignoreDifferences).toEqual(rules);
});

it('refuses fields it would otherwise drop, naming them; accepts the Argo CD fields it honours or that change nothing here', async () => {
  const base = appDoc('strict');
  const withSpec = (spec: Record<string, unknown>) => ({ ...base, spec: { ...base.spec, ...spec } }) as typeof base;
  const before = await count();
  const typo = await failure(
    createApplication(t.deps(), me, withSpec({ syncPolicy: { automatic: { prune: true } } }), opts),
  );
  expect(typo?.status).toBe(400);
  expect(typo?.details.issues?.[0]).toMatchObject({
    path: 'spec.syncPolicy',
    message: expect.stringContaining('automatic'),
  });
  const plugin = await failure(
    createApplication(t.deps(), me, withSpec({ source: { ...base.spec.source, plugin: { name: 'cmp' } } }), opts),
  );
  expect(plugin?.details.issues?.[0]).toMatchObject({
    path: 'spec.source.plugin',
    message: expect.stringContaining('plugins are not supported'),
  });
  const jsonnet = await failure(
    createApplication(
      t.deps(),
      me,
      withSpec({ source: { ...base.spec.source, directory: { jsonnet: { tlas: [{ name: 'a', value: 'b' }] } } } }),
      opts,
    ),
  );
  expect(jsonnet?.details.issues?.[0]).toMatchObject({
    path: 'spec.source.directory.jsonnet.tlas',
    message: expect.stringContaining('jsonnet is not supported'),
  });
  const helm2 = await failure(
    createApplication(t.deps(), me, withSpec({ source: { ...base.spec.source, helm: { version: 'v2' } } }), opts),
  );
  expect(helm2?.details.issues?.[0]).toMatchObject({ path: 'spec.source.helm.version' });
  expect(await count()).toBe(before);

  const accepted = withSpec({
    source: { ...base.spec.source, directory: { recurse: true, jsonnet: {} } },
    syncPolicy: { automated: { prune: true, enabled: false }, managedNamespaceMetadata: { labels: { team: 'a' } } },
    info: [{ name: 'owner', value: 'ops' }],
  });
  const { application } = await createApplication(t.deps(), me, accepted, opts);
  expect(application.spec.syncPolicy.managedNamespaceMetadata).toEqual({ labels: { team: 'a' } });
  const [row] = await t.handle.db.select().from(applications).where(eq(applications.name, 'strict'));
  // automated.enabled: false keeps the policy but syncs by hand only (Argo CD 3).
  expect(row.automated).toBe(false);
});

it('accepts local repositories only when allowed, and resolves the cluster by server URL', async () => {
  const local = appDoc('local', { repoURL: 'file:///srv/repo.git' });
  expect((await createApplication(t.deps(), me, local, { allowLocalRepos: true, jq })).created).toBe(true);
  const byServer = {
    ...appDoc('by-server'),
    spec: { ...appDoc('by-server').spec, destination: { server: 'https://prod.example:6443/', namespace: 'x' } },
  };
  await createApplication(t.deps(), me, byServer, opts);
  const [row] = await t.handle.db.select().from(applications).where(eq(applications.name, 'by-server'));
  expect(row.clusterName).toBe('prod');
  const mismatch = {
    ...appDoc('mismatch'),
    spec: { ...appDoc('x').spec, destination: { name: 'prod', server: 'https://other:6443', namespace: 'x' } },
  };
  expect((await failure(createApplication(t.deps(), me, mismatch, opts)))?.details.issues?.[0].path).toBe(
    'spec.destination.server',
  );
});

it('answers 409 for a taken name unless upsert, which bumps the generation', async () => {
  await createApplication(t.deps(), me, appDoc('dup'), opts);
  const conflict = await failure(createApplication(t.deps(), me, appDoc('dup', { path: 'other' }), opts));
  expect(conflict?.status).toBe(409);
  expect(conflict?.details.hint).toContain('--upsert');
  const { created, application } = await createApplication(t.deps(), me, appDoc('dup', { path: 'other' }), {
    ...opts,
    upsert: true,
  });
  expect(created).toBe(false);
  expect(application.metadata.generation).toBe(2);
  expect(application.spec.source.path).toBe('other');
  const same = await createApplication(t.deps(), me, appDoc('dup', { path: 'other' }), { ...opts, upsert: true });
  expect(same.application.metadata.generation).toBe(2);
});

it('turns helm valuesObject into values text', async () => {
  const doc = appDoc('helm');
  doc.spec.source.helm = { valuesObject: { replicas: 3 } };
  const { application } = await createApplication(t.deps(), me, doc, opts);
  expect(application.spec.source.helm).toEqual({ values: 'replicas: 3\n' });
});

it('updates a spec (PUT): generation, copy columns and refresh; refuses a renamed document', async () => {
  await createApplication(t.deps(), me, appDoc('upd'), opts);
  await t.handle.db.update(applications).set({ refreshRequested: null }).where(eq(applications.name, 'upd'));
  const app = await updateApplication(
    t.deps(),
    me,
    'upd',
    appDoc('upd', { targetRevision: 'release', namespace: 'other' }),
    false,
    jq,
  );
  expect(app.metadata.generation).toBe(2);
  const [row] = await t.handle.db.select().from(applications).where(eq(applications.name, 'upd'));
  expect(row).toMatchObject({ targetRevision: 'release', destNamespace: 'other', refreshRequested: 'normal' });
  expect(
    (await failure(updateApplication(t.deps(), me, 'upd', appDoc('renamed'), false, jq)))?.details.issues?.[0].path,
  ).toBe('metadata.name');
  expect((await failure(updateApplication(t.deps(), me, 'missing', appDoc('missing'), false, jq)))?.status).toBe(404);
});

it('refreshes (a hard refresh is not downgraded) and reports it on the app', async () => {
  await createApplication(t.deps(), me, appDoc('refresh-me'), opts);
  expect(await requestRefresh(t.deps(), me, 'refresh-me', true)).toEqual({ name: 'refresh-me', refresh: 'hard' });
  expect(await requestRefresh(t.deps(), me, 'refresh-me', false)).toEqual({ name: 'refresh-me', refresh: 'hard' });
  expect((await getApplication(t.deps(), me, 'refresh-me')).status.refreshRequested).toBe('hard');
  expect((await failure(requestRefresh(t.deps(), me, 'nope', false)))?.status).toBe(404);
});

it('deletes at once without cascade, and asks the controller with cascade', async () => {
  await createApplication(t.deps(), me, appDoc('gone'), opts);
  expect(await deleteApplication(t.deps(), me, 'gone', false)).toEqual({ deleted: true });
  expect((await failure(getApplication(t.deps(), me, 'gone')))?.status).toBe(404);
  await createApplication(t.deps(), me, appDoc('cascade'), opts);
  const outcome = await deleteApplication(t.deps(), me, 'cascade', true);
  expect(outcome).toMatchObject({ deleting: true, deletion: { cascade: true, requestedBy: 'ops' } });
  expect((await getApplication(t.deps(), me, 'cascade')).status.deletion).toMatchObject({ cascade: true });
  expect((await failure(updateApplication(t.deps(), me, 'cascade', appDoc('cascade'), false, jq)))?.status).toBe(409);
  expect((await failure(deleteApplication(t.deps(), me, 'nope', false)))?.status).toBe(404);
});
