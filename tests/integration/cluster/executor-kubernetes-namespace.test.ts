/**
 * The run namespace (security review F1, F4): the Kubernetes executor runs pods only in a namespace that is Keelson's
 * for the TaskRun's project (labelled so), never in one someone else made (kube-system, an app's, another project's);
 * a namespace it uses keeps the NetworkPolicy `keelson-isolation` and the admin's ResourceQuota and LimitRange.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test, randomName } from './cluster';
import { realNodePlan, record, step, target, testConnection, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

/** What these tests read of the objects (raw JSON, field names as the API server writes them). */
interface Raw {
  items?: unknown[];
  spec?: {
    podSelector?: unknown;
    policyTypes?: unknown;
    ingress?: unknown;
    egress?: { to?: { ipBlock?: unknown }[] }[];
    hard?: unknown;
    limits?: unknown;
  };
  status?: { hard?: unknown; used?: Record<string, string> };
}

/** An object as the API server stores it, or undefined when it does not exist. */
async function read(path: string): Promise<Raw | undefined> {
  const res = await (await testConnection()).request({ method: 'GET', path });
  if (res.status === 404) return undefined;
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body) as Raw;
}
const netpols = async (ns: string) =>
  (await read(`/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`))?.items;
const policyOf = (ns: string) => read(`/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/keelson-isolation`);
const ipBlocks = (policy: Raw | undefined) =>
  (policy?.spec?.egress ?? []).flatMap((e) => (e.to ?? []).flatMap((t) => (t.ipBlock ? [t.ipBlock] : [])));

const plan = () => realNodePlan({ steps: [step('a', { image: 'busybox', script: 'echo ran' })] });

describe.skipIf(!realNode)('the run namespace', () => {
  test('an existing namespace Keelson did not make for the project is refused, naming it and the fix; no pod, nothing written there', async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!);
    const plain = randomName('plain');
    await kube.core.createNamespace({
      body: { metadata: { name: plain, labels: { 'keelson.test/ephemeral': 'true' } } },
    });
    try {
      // Someone's namespace without Keelson's labels, and a Keelson namespace of project default asked for by another.
      for (const [ns, project] of [
        [plain, 'default'],
        [namespace, 'payments'],
      ] as const) {
        const out = await executor.run(plan(), '/x', record().hooks, target(ns, { project }));
        expect(out.status).toBe('Failed');
        expect(out.reason).toBe('PodCreationFailed');
        expect(out.message).toContain(`namespace "${ns}"`);
        expect(out.message).toContain(
          `kubectl label namespace ${ns} app.kubernetes.io/managed-by=keelson keelson.dev/project=${project}`,
        );
        expect(out.message).toContain('Settings → Pipelines');
        expect((await kube.core.listNamespacedPod({ namespace: ns })).items).toEqual([]);
        expect(
          (await kube.core.listNamespacedSecret({ namespace: ns })).items.filter((s) => s.type === 'Opaque'),
        ).toEqual([]);
        expect(await netpols(ns)).toEqual([]);
      }
      // kube-system is never used, whatever the template says.
      const out = await executor.run(plan(), '/x', record().hooks, target('kube-system'));
      expect([out.status, out.reason]).toEqual(['Failed', 'PodCreationFailed']);
      expect(
        (await kube.core.listNamespacedPod({ namespace: 'kube-system' })).items.map((p) => p.metadata?.name),
      ).not.toContain(expect.stringMatching(/^tr-/));
    } finally {
      await kube.core.deleteNamespace({ name: plain }).catch(() => undefined);
    }
  });

  test('a namespace Keelson creates is labelled for the project (baseline) and isolated; quota and defaults when set', async ({
    kube,
  }) => {
    const { executor } = testExecutor(realNode!, {
      isolation: {
        denyCidrs: ['10.96.0.0/12'],
        quota: { cpu: '4', memory: '4Gi', pods: 10 },
        defaults: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      },
    });
    const namespace = randomName('kn');
    try {
      const r = record();
      const out = await executor.run(plan(), '/x', r.hooks, target(namespace, { project: 'payments' }));
      expect(out.status, JSON.stringify(out)).toBe('Succeeded');
      expect(r.text('a')).toEqual(['ran']);
      const ns = await kube.core.readNamespace({ name: namespace });
      expect(ns.metadata?.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'keelson',
        'keelson.dev/project': 'payments',
        'pod-security.kubernetes.io/enforce': 'baseline',
      });
      const policy = await policyOf(namespace);
      expect(policy?.spec?.podSelector).toEqual({});
      expect(policy?.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
      // Ingress only from pods of this namespace.
      expect(policy?.spec?.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
      expect(ipBlocks(policy)).toEqual([{ cidr: '0.0.0.0/0', except: ['169.254.0.0/16', '10.96.0.0/12'] }]);
      const quota = await read(`/api/v1/namespaces/${namespace}/resourcequotas/keelson-quota`);
      expect(quota?.spec?.hard).toEqual({ 'limits.cpu': '4', 'limits.memory': '4Gi', pods: '10' });
      const limits = await read(`/api/v1/namespaces/${namespace}/limitranges/keelson-defaults`);
      expect(limits?.spec?.limits).toEqual([
        { type: 'Container', default: { cpu: '1', memory: '512Mi' }, defaultRequest: { cpu: '50m', memory: '64Mi' } },
      ]);
      // The TaskRun's pod got the defaults (its containers set none) and counts against the quota.
      const used = await read(`/api/v1/namespaces/${namespace}/resourcequotas/keelson-quota`);
      expect(used?.status?.hard).toMatchObject({ pods: '10' });
    } finally {
      await kube.core.deleteNamespace({ name: namespace }).catch(() => undefined);
    }
  });

  test('an existing Keelson namespace of the project gets its NetworkPolicy too (no quota when none is set)', async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!);
    const out = await executor.run(plan(), '/x', record().hooks, target(namespace));
    expect(out.status, JSON.stringify(out)).toBe('Succeeded');
    expect(ipBlocks(await policyOf(namespace))).toEqual([{ cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] }]);
    expect((await kube.core.listNamespacedResourceQuota({ namespace })).items).toEqual([]);
    expect((await kube.core.listNamespacedLimitRange({ namespace })).items).toEqual([]);
  });
});
