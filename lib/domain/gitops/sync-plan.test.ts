import { describe, expect, it } from 'vitest';
import { loadObjects } from '@/tests/fixtures/gitops/load-fixtures';
import type { KubeObject } from './k8s-object';
import { planSync, PRUNE_DISABLED_MESSAGE, PRUNE_FALSE_MESSAGE, type SyncPlan, type SyncPlanInput } from './sync-plan';

const app = loadObjects('sync/app.yaml');
const tracked = loadObjects('sync/tracked.yaml');
const nameSuffix: SyncPlanInput['nameSuffix'] = (_obj, phase) => `${phase.toLowerCase()}-1700000000`;

/** `Sync/0: Secret/creds(apply) ...` per step, easy to read in a failing assertion. */
function outline(plan: SyncPlan): string[] {
  return plan.steps.map(
    (s) => `${s.phase}/${s.wave}: ${s.tasks.map((t) => `${t.obj.kind}/${t.obj.metadata.name}(${t.action})`).join(' ')}`,
  );
}

describe('planSync ordering', () => {
  const plan = planSync({ desired: app, nameSuffix });

  it('orders by phase, wave, kind and name; a CRD moves before its first custom resource', () => {
    expect(outline(plan)).toEqual([
      'PreSync/0: Job/migrate-presync-1700000000(hook)',
      'Sync/0: Secret/creds(apply) ConfigMap/settings(apply) Service/web(apply) CustomResourceDefinition/widgets.example.com(apply) Widget/gadget(apply)',
      'Sync/1: Deployment/web(apply)',
      'PostSync/-1: Job/smoke-test(hook)',
    ]);
  });

  it('keeps SyncFail hooks apart and drops Skip resources', () => {
    expect(plan.syncFail.map((t) => t.obj.metadata.name)).toEqual(['notify-failure']);
    const names = [...plan.steps.flatMap((s) => s.tasks), ...plan.syncFail].map((t) => t.obj.metadata.name);
    expect(names).not.toContain('never-applied');
  });

  it('maps Helm hook annotations: post-install → PostSync, hook-weight → wave, delete policies', () => {
    const smoke = plan.steps.flatMap((s) => s.tasks).find((t) => t.obj.metadata.name === 'smoke-test');
    expect(smoke).toMatchObject({ phase: 'PostSync', wave: -1, hookDeletePolicies: ['HookSucceeded', 'HookFailed'] });
  });

  it('names generateName hooks with the fresh suffix and keeps delete policies, default BeforeHookCreation', () => {
    const [migrate] = plan.steps[0].tasks;
    expect(migrate.key).toBe('batch/Job/demo/migrate-presync-1700000000');
    expect(migrate.hookDeletePolicies).toEqual(['HookSucceeded']);
    expect(plan.syncFail[0].hookDeletePolicies).toEqual(['BeforeHookCreation']);
  });

  it('gives a hook in two phases a task per phase with distinct ids', () => {
    const hook: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        generateName: 'check-',
        namespace: 'demo',
        annotations: { 'argocd.argoproj.io/hook': 'PreSync,PostSync' },
      },
    };
    const p = planSync({ desired: [hook], nameSuffix });
    expect(p.steps.map((s) => [s.phase, s.tasks[0].obj.metadata.name])).toEqual([
      ['PreSync', 'check-presync-1700000000'],
      ['PostSync', 'check-postsync-1700000000'],
    ]);
  });
});

describe('planSync pruning', () => {
  it('prunes tracked objects that left Git in reverse wave order, honouring Prune=false', () => {
    const plan = planSync({ desired: app, tracked, nameSuffix, options: { prune: true } });
    expect(outline(plan).filter((s) => s.includes('(prune)'))).toEqual([
      'Sync/-1: Deployment/old-worker(prune)',
      'Sync/0: Secret/keep-me(prune) Secret/creds(apply) ConfigMap/settings(apply) Service/web(apply) CustomResourceDefinition/widgets.example.com(apply) Widget/gadget(apply)',
      'Sync/3: ConfigMap/old-config(prune)',
    ]);
    const prunes = plan.steps.flatMap((s) => s.tasks).filter((t) => t.action === 'prune');
    expect(Object.fromEntries(prunes.map((t) => [t.obj.metadata.name, t.pruneSkipped]))).toEqual({
      'old-worker': undefined,
      'keep-me': PRUNE_FALSE_MESSAGE,
      'old-config': undefined,
    });
  });

  it('records prune as skipped when pruning was not asked for', () => {
    const plan = planSync({ desired: app, tracked, nameSuffix });
    const prunes = plan.steps.flatMap((s) => s.tasks).filter((t) => t.action === 'prune');
    expect(prunes.map((t) => t.pruneSkipped)).toEqual([
      PRUNE_DISABLED_MESSAGE,
      PRUNE_DISABLED_MESSAGE,
      PRUNE_DISABLED_MESSAGE,
    ]);
  });

  it('puts every prune after the last Sync wave with PruneLast', () => {
    const plan = planSync({ desired: app, tracked, nameSuffix, options: { prune: true, pruneLast: true } });
    expect(outline(plan).slice(-2)).toEqual([
      'Sync/4: Secret/keep-me(prune) ConfigMap/old-config(prune) Deployment/old-worker(prune)',
      'PostSync/-1: Job/smoke-test(hook)',
    ]);
  });

  it('honours PruneLast=true on one resource', () => {
    const marked = tracked.map((o) =>
      o.metadata.name === 'old-worker'
        ? {
            ...o,
            metadata: {
              ...o.metadata,
              annotations: { ...o.metadata.annotations, 'argocd.argoproj.io/sync-options': 'PruneLast=true' },
            },
          }
        : o,
    );
    const plan = planSync({ desired: app, tracked: marked, nameSuffix, options: { prune: true } });
    const worker = plan.steps.find((s) => s.tasks.some((t) => t.obj.metadata.name === 'old-worker'));
    expect(worker?.wave).toBe(4);
  });
});

describe('planSync options', () => {
  it('selective sync: only the chosen resources, and no hooks', () => {
    const resources = new Set(['apps/Deployment/demo/web', '/ConfigMap/demo/old-config']);
    const plan = planSync({ desired: app, tracked, nameSuffix, options: { prune: true, resources } });
    expect(outline(plan)).toEqual(['Sync/-1: ConfigMap/old-config(prune)', 'Sync/1: Deployment/web(apply)']);
    expect(plan.syncFail).toEqual([]);
  });

  it('ApplyOutOfSyncOnly skips Synced resources but keeps hooks', () => {
    const syncStatus = new Map<string, 'Synced' | 'OutOfSync'>([
      ['/ConfigMap/demo/settings', 'Synced'],
      ['/Secret/demo/creds', 'OutOfSync'],
    ]);
    const plan = planSync({ desired: app, nameSuffix, syncStatus, options: { applyOutOfSyncOnly: true } });
    const names = plan.steps.flatMap((s) => s.tasks).map((t) => t.obj.metadata.name);
    expect(names).not.toContain('settings');
    expect(names).toContain('creds');
    expect(names).toContain('smoke-test');
  });

  it('CreateNamespace adds the namespace first, in PreSync', () => {
    const plan = planSync({ desired: app, nameSuffix, options: { createNamespace: 'demo' } });
    expect(outline(plan)[0]).toBe('PreSync/0: Namespace/demo(apply) Job/migrate-presync-1700000000(hook)');
  });

  it('CreateNamespace with managedNamespaceMetadata gives the namespace those labels and annotations', () => {
    const plan = planSync({
      desired: app,
      nameSuffix,
      options: { createNamespace: 'demo', namespaceMetadata: { labels: { team: 'a' }, annotations: { owner: 'ops' } } },
    });
    const ns = plan.steps[0].tasks.find((t) => t.obj.kind === 'Namespace');
    expect(ns?.obj.metadata).toEqual({ name: 'demo', labels: { team: 'a' }, annotations: { owner: 'ops' } });
  });

  it('moves a Namespace from a later wave before the first resource in it', () => {
    const ns: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'demo', annotations: { 'argocd.argoproj.io/sync-wave': '5' } },
    };
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'demo' } };
    expect(outline(planSync({ desired: [cm, ns], nameSuffix }))).toEqual([
      'Sync/0: Namespace/demo(apply) ConfigMap/a(apply)',
    ]);
  });

  it('reads waves like strconv.Atoi and puts custom resources after known kinds, then by name', () => {
    const mk = (kind: string, name: string, wave?: string): KubeObject => ({
      apiVersion: kind === 'Widget' ? 'example.com/v1' : 'v1',
      kind,
      metadata: { name, namespace: 'demo', ...(wave ? { annotations: { 'argocd.argoproj.io/sync-wave': wave } } : {}) },
    });
    const plan = planSync({
      desired: [
        mk('Widget', 'a'),
        mk('Service', 'b'),
        mk('Service', 'a'),
        mk('ConfigMap', 'z', '+2'),
        mk('ConfigMap', 'y', 'two'),
      ],
      nameSuffix,
    });
    expect(outline(plan)).toEqual([
      'Sync/0: ConfigMap/y(apply) Service/a(apply) Service/b(apply) Widget/a(apply)',
      'Sync/2: ConfigMap/z(apply)',
    ]);
  });
});
