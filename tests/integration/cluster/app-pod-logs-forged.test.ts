import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, users } from '@/lib/adapters/db/schema';
import { connectPodReader } from '@/lib/adapters/k8s/pod-logs';
import { defaultProject } from '@/lib/domain/gitops/projects';
import { listAppPods, type AppPodsDeps } from '@/lib/server/gitops/app-pods';
import type { ClusterPods, PodClusters } from '@/lib/server/gitops/pod-ports';
import type { Principal } from '@/lib/server/principal';
import { secretBox } from '@/lib/server/security/secret-box';
import { createApiToken } from '@/lib/server/tokens/create-api-token';
import { clusterAvailable, makeClients } from './cluster';
import { deployment } from './gitops-fixtures';
import { startGitops, type AppRow, type Gitops } from './gitops-harness';
import { dropNamespace, logsPath, makeNamespace, podsPath, startLogsWeb, type LogsWeb } from './pod-logs-support';

/**
 * Security finding P1: an app whose manifests merely NAME another app's object (a forged desired key) must not get
 * that object's live state, children, logs, live manifest or events. dave may only `applications, get` and
 * `logs, get` the attacker apps, and can change their manifests but never syncs them (no `sync` right).
 *   narrow:  project limited to atk-a-*; the repo names the victim's Deployment in vic-b-*.
 *   shared:  default project, one namespace; the victim's Deployment is tracked by the victim, another is untracked.
 *   system:  default project; the repo names a Pod in kube-system.
 */
const s = randomBytes(3).toString('hex');
const nsA = `atk-a-${s}`;
const nsB = `vic-b-${s}`;
const nsS = `shared-${s}`;
const probe = `probe-${s}`;

const inNamespace = (yaml: string, namespace: string) =>
  yaml.replace(/^( {2}name: .*\n)/m, `$1  namespace: ${namespace}\n`);
const probePod = `apiVersion: v1
kind: Pod
metadata:
  name: ${probe}
  namespace: kube-system
spec:
  containers: [{ name: main, image: example.invalid/probe:1 }]
`;

/** A ReplicaSet under the victim Deployment's ReplicaSet's name: it carries a copy of the victim's tracking id. */
const replicaSet = (name: string, namespace: string) => `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: secret-web } }
  template:
    metadata: { labels: { app: secret-web } }
    spec: { containers: [{ name: main, image: example.invalid/web:1 }] }
`;

describe.skipIf(!clusterAvailable)('forged desired keys: no other app’s pods, logs or live state', () => {
  let h: Gitops;
  let web: LogsWeb;
  let dave = '';
  let rsName = '';
  const calls: string[] = [];
  /** The real cluster connection, each call written down: proof of what was (not) read. */
  const recorded: PodClusters = {
    async connect(credentials) {
      calls.push('connect');
      const real = await connectPodReader(credentials);
      const pods: ClusterPods = {
        get: (key) => (calls.push(`get ${key.kind} ${key.namespace}/${key.name}`), real.get(key)),
        list: (q) => (calls.push(`list ${q.kind} ${q.namespace}`), real.list(q)),
        openLog: (r) => (calls.push(`log ${r.namespace}/${r.pod}/${r.container}`), real.openLog(r)),
        close: () => real.close(),
      };
      return pods;
    },
  };
  const daveP: Principal = {
    userId: '',
    username: 'dave',
    name: null,
    role: 'user',
    groups: [],
    via: 'token',
    source: 'local',
  };
  const deps = (): AppPodsDeps => ({
    ...h.t.deps(),
    box: secretBox('gitops-harness-secret-key-0123456789abcdef'),
    podClusters: recorded,
  });
  const get = (path: string) => fetch(`${web.url}${path}`, { headers: { authorization: `Bearer ${dave}` } });
  const reconciledAfter = (name: string, since: Date) =>
    h.waitApp(
      name,
      (a) =>
        a.resources.length > 0 &&
        a.reconciledGeneration === a.generation &&
        (a.reconciledAt?.getTime() ?? 0) > since.getTime(),
      'compared',
    );
  const liveNodes = (a: AppRow, namespace: string) => a.tree.filter((n) => n.namespace === namespace && n.uid);
  const synced = async (name: string) => {
    const op = await h.waitOperation(await h.sync(name));
    expect(op.phase, op.message).toBe('Succeeded');
  };

  beforeAll(async () => {
    h = await startGitops();
    web = await startLogsWeb(h);
    await Promise.all([makeNamespace(nsA), makeNamespace(nsB), makeNamespace(nsS)]);
    const narrow = defaultProject();
    narrow.metadata.name = 'narrow';
    narrow.spec.destinations = [{ server: '*', name: '*', namespace: nsA }];
    await h.t.deps().accessStores.projects.put(narrow, 'test');
    const grants = ['narrow/attacker', 'default/attacker2', 'default/attacker3']
      .flatMap((o) => [`p, dave, applications, get, ${o}, allow`, `p, dave, logs, get, ${o}, allow`])
      .join('\n');
    await h.t
      .deps()
      .accessStores.rbac.put({ 'policy.default': '', 'policy.csv': `g, alice, role:admin\n${grants}\n` }, 'test');
    const [u] = await h.t.handle.db
      .insert(users)
      .values({ username: 'dave', role: 'user', source: 'local' })
      .returning();
    daveP.userId = u.id;
    dave = (await createApiToken(h.t.deps(), daveP, { name: 'x' })).token;

    // The victims, synced: their Deployments are tracked by them and run a pod each.
    const victim = await h.repo({ 'app/secret.yaml': deployment('secret-web') });
    await h.createApp('victim', {
      source: { repoURL: victim.url, path: 'app' },
      destination: { name: 'test', namespace: nsB },
    });
    const victim2 = await h.repo({ 'app/shared.yaml': deployment('shared-web') });
    await h.createApp('victim2', {
      source: { repoURL: victim2.url, path: 'app' },
      destination: { name: 'test', namespace: nsS },
    });
    // An untracked Deployment in the shared namespace (made with kubectl, say).
    await makeClients().apps.createNamespacedDeployment({
      namespace: nsS,
      body: {
        metadata: { name: 'loose-web' },
        spec: {
          selector: { matchLabels: { app: 'loose-web' } },
          template: {
            metadata: { labels: { app: 'loose-web' } },
            spec: { containers: [{ name: 'main', image: 'example.invalid/web:1' }] },
          },
        },
      },
    });
    await makeClients().core.createNamespacedPod({
      namespace: 'kube-system',
      body: { metadata: { name: probe }, spec: { containers: [{ name: 'main', image: 'example.invalid/probe:1' }] } },
    });
    for (const name of ['victim', 'victim2']) {
      await h.waitApp(name, (x) => x.resources.length > 0, 'compared');
      await synced(name);
      await h.waitApp(name, (x) => x.tree.some((n) => n.kind === 'Pod'), 'its pod in the tree');
    }

    const since = new Date();
    const atk = await h.repo({ 'app/x.yaml': inNamespace(deployment('secret-web'), nsB) });
    await h.createApp('attacker', {
      project: 'narrow',
      source: { repoURL: atk.url, path: 'app' },
      destination: { name: 'test', namespace: nsA },
    });
    // The harness inserts apps in project default: move it, and wait for a comparison of the moved app.
    await h.t.handle.db.update(applications).set({ project: 'narrow' }).where(eq(applications.name, 'attacker'));
    await h.updateSpec('attacker', (spec) => spec);
    const atk2 = await h.repo({
      'app/shared.yaml': deployment('shared-web'),
      'app/loose.yaml': deployment('loose-web'),
    });
    await h.createApp('attacker2', {
      source: { repoURL: atk2.url, path: 'app' },
      destination: { name: 'test', namespace: nsS },
    });
    rsName = (await h.app('victim')).tree.find((n) => n.kind === 'ReplicaSet')?.name ?? '';
    const atk3 = await h.repo({ 'app/probe.yaml': probePod, 'app/rs.yaml': replicaSet(rsName, nsB) });
    await h.createApp('attacker3', {
      source: { repoURL: atk3.url, path: 'app' },
      destination: { name: 'test', namespace: nsA },
    });
    await Promise.all(['attacker', 'attacker2', 'attacker3'].map((n) => reconciledAfter(n, since)));
  }, 240_000);
  afterAll(async () => {
    await web?.server.close();
    await makeClients()
      .core.deleteNamespacedPod({ name: probe, namespace: 'kube-system' })
      .catch(() => undefined);
    await Promise.all([dropNamespace(nsA), dropNamespace(nsB), dropNamespace(nsS)]);
  });

  it('another namespace the project forbids: nothing of the victim in the tree or the preview, 404 on /pods, /logs, /resource', async () => {
    const a = await h.app('attacker');
    expect(liveNodes(a, nsB)).toEqual([]);
    expect(a.tree.filter((n) => n.kind === 'Pod' || n.kind === 'ReplicaSet')).toEqual([]);
    expect(a.resources.find((r) => r.name === 'secret-web')).toMatchObject({
      status: 'OutOfSync',
      health: { status: 'Missing' },
    });
    expect(a.diffs[`apps/Deployment/${nsB}/secret-web`]?.live).toBeUndefined();
    // The victim's name is not revealed in a place the project forbids; the project's refusal is.
    expect(a.conditions.map((c) => c.type)).toEqual(['InvalidSpecError']);

    const q = { kind: 'Deployment', resourceName: 'secret-web', namespace: nsB };
    for (const path of [podsPath('attacker', q), logsPath('attacker', { ...q, tailLines: '5' })]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toBe(`Deployment ${nsB}/secret-web is not part of "attacker".`);
    }
    const detail = await get(
      `/api/v1/applications/attacker/resource?group=apps&kind=Deployment&namespace=${nsB}&name=secret-web`,
    );
    expect(detail.status).toBe(404);
    // The rollback preview reads the cluster afresh: the victim's live object is not read there either.
    const preview = await get('/api/v1/applications/attacker/diff?revision=main');
    expect(preview.status).toBe(200);
    const item = ((await preview.json()) as { items: { name: string; status: string; diff: string }[] }).items.find(
      (i) => i.name === 'secret-web',
    );
    expect(item?.status).toBe('OutOfSync');
    expect(item?.diff).toMatch(/^@@ -0,0 /m); // nothing on the live side
    expect(item?.diff).not.toMatch(/tracking-id: victim/);
    calls.length = 0;
    await expect(listAppPods(deps(), daveP, 'attacker', q as never)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls).toEqual([]);
  });

  it("one namespace, no project limit: another app's object is missing with a SharedResourceWarning; an untracked one is 404 until a sync tracks it", async () => {
    const a = await h.app('attacker2');
    const shared = a.tree.find((n) => n.name === 'shared-web');
    expect(shared?.uid).toBeUndefined();
    expect(a.tree.filter((n) => n.kind === 'ReplicaSet' && n.name.startsWith('shared-web'))).toEqual([]);
    expect(a.resources.find((r) => r.name === 'shared-web')).toMatchObject({
      status: 'OutOfSync',
      health: { status: 'Missing' },
    });
    expect(a.conditions).toContainEqual(
      expect.objectContaining({
        type: 'SharedResourceWarning',
        message: 'Deployment/shared-web is part of applications attacker2 and victim2',
      }),
    );
    // The untracked one is shown (a first sync adopts it, as in Argo CD), but its pods and logs are not the app's yet.
    expect(a.tree.find((n) => n.name === 'loose-web')?.uid).toBeDefined();
    for (const name of ['shared-web', 'loose-web']) {
      const q = { kind: 'Deployment', resourceName: name, namespace: nsS };
      expect((await get(podsPath('attacker2', q))).status, name).toBe(404);
      expect((await get(logsPath('attacker2', q))).status, name).toBe(404);
    }
    calls.length = 0;
    const q = (name: string) => ({ kind: 'Deployment' as const, resourceName: name, namespace: nsS });
    await expect(listAppPods(deps(), daveP, 'attacker2', q('shared-web'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls).toEqual([]);
    await expect(listAppPods(deps(), daveP, 'attacker2', q('loose-web'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls.filter((c) => c.startsWith('list') || c.startsWith('log'))).toEqual([]);
    const detail = await get(
      `/api/v1/applications/attacker2/resource?group=apps&kind=Deployment&namespace=${nsS}&name=shared-web`,
    );
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { liveManifest?: string; events: unknown[] }).liveManifest).toBeUndefined();

    // A sync of attacker2 (someone with `sync` on it) applies both with its tracking: the untracked one becomes its
    // own, and, as Argo CD's sync does, the victim's is taken over, which the victim then reports.
    await synced('attacker2');
    await h.waitApp(
      'attacker2',
      (x) => x.tree.some((n) => n.kind === 'Pod' && n.name.startsWith('loose-web')),
      'adopted',
    );
    expect((await get(podsPath('attacker2', q('loose-web')))).status).toBe(200);
    await h.refresh('victim2');
    const v = await h.waitApp('victim2', (x) => x.conditions.some((c) => c.type === 'SharedResourceWarning'), 'warned');
    expect(v.conditions.find((c) => c.type === 'SharedResourceWarning')?.message).toBe(
      'Deployment/shared-web is part of applications victim2 and attacker2',
    );
    expect(v.tree.filter((n) => n.kind === 'Pod')).toEqual([]);
  }, 120_000);

  it("a kube-system pod and the victim's ReplicaSet named in the manifests (never synced): 404, no log read", async () => {
    const a = await h.app('attacker3');
    expect(a.tree.find((n) => n.name === probe)?.namespace).toBe('kube-system');
    const q = { kind: 'Pod', resourceName: probe, namespace: 'kube-system' };
    expect((await get(podsPath('attacker3', q))).status).toBe(404);
    expect((await get(logsPath('attacker3', q))).status).toBe(404);
    calls.length = 0;
    await expect(listAppPods(deps(), daveP, 'attacker3', q as never)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls.filter((c) => c.startsWith('list') || c.startsWith('log'))).toEqual([]);

    // The ReplicaSet's copied tracking id names the victim: not attached, its pods not in the tree.
    expect(rsName).not.toBe('');
    expect(liveNodes(a, nsB)).toEqual([]);
    expect(a.conditions).toContainEqual(
      expect.objectContaining({
        type: 'SharedResourceWarning',
        message: `ReplicaSet/${rsName} is part of applications attacker3 and victim`,
      }),
    );
    const rs = { kind: 'ReplicaSet', resourceName: rsName, namespace: nsB };
    expect((await get(podsPath('attacker3', rs))).status).toBe(404);
    expect((await get(logsPath('attacker3', rs))).status).toBe(404);
    calls.length = 0;
    await expect(listAppPods(deps(), daveP, 'attacker3', rs as never)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls).toEqual([]);
  });
});
