import { describe, expect, it } from 'vitest';
import type { HealthStatus } from './health/types';
import type { KubeObject } from './k8s-object';
import {
  MESSAGE_TERMINATED,
  nextSyncAction,
  observedTasks,
  resourceResults,
  type SyncAction,
  type SyncProgress,
  type TaskProgress,
} from './sync-operation';
import { planSync, type SyncPlan } from './sync-plan';

const obj = (apiVersion: string, kind: string, name: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'demo', ...(annotations ? { annotations } : {}) },
});
const hook = (name: string, type: string, policy?: string) =>
  obj('batch/v1', 'Job', name, {
    'argocd.argoproj.io/hook': type,
    ...(policy ? { 'argocd.argoproj.io/hook-delete-policy': policy } : {}),
  });

const KEYS = {
  migrate: 'batch/Job/demo/migrate',
  config: '/ConfigMap/demo/settings',
  web: 'apps/Deployment/demo/web',
  smoke: 'batch/Job/demo/smoke',
  notify: 'batch/Job/demo/notify',
};
const ID = {
  migrate: `PreSync:${KEYS.migrate}`,
  config: `Sync:${KEYS.config}`,
  web: `Sync:${KEYS.web}`,
  smoke: `PostSync:${KEYS.smoke}`,
  notify: `SyncFail:${KEYS.notify}`,
};

const full: SyncPlan = planSync({
  desired: [
    hook('migrate', 'PreSync', 'HookSucceeded'),
    obj('v1', 'ConfigMap', 'settings'),
    obj('apps/v1', 'Deployment', 'web', { 'argocd.argoproj.io/sync-wave': '1' }),
    hook('smoke', 'PostSync', 'HookFailed'),
    hook('notify', 'SyncFail'),
  ],
  nameSuffix: () => 'x',
});
const single = planSync({
  desired: [obj('v1', 'ConfigMap', 'settings'), obj('apps/v1', 'Deployment', 'web')],
  nameSuffix: () => 'x',
});

const synced: TaskProgress = { status: 'Synced' };
const h = (status: HealthStatus['status']): HealthStatus => ({ status });

function progress(
  results: Record<string, TaskProgress>,
  health: Record<string, HealthStatus> = {},
  extra: Partial<SyncProgress> = {},
): SyncProgress {
  return { results, health, ...extra };
}

/** PreSync and Sync all applied, the hook and the ConfigMap Healthy, the Deployment as given. */
function syncedWithWeb(web: HealthStatus['status']): SyncProgress {
  return progress(
    { [ID.migrate]: synced, [ID.config]: synced, [ID.web]: synced },
    { [KEYS.migrate]: h('Healthy'), [KEYS.config]: h('Healthy'), [KEYS.web]: h(web) },
  );
}

/** The action with task lists reduced to ids, for compact expectations. */
function summary(action: SyncAction): unknown {
  switch (action.kind) {
    case 'apply-wave':
      return { kind: action.kind, phase: action.phase, wave: action.wave, tasks: action.tasks.map((t) => t.id) };
    case 'run-sync-fail-hooks':
      return { kind: action.kind, tasks: action.tasks.map((t) => t.id) };
    case 'done':
      return {
        kind: action.kind,
        phase: action.phase,
        message: action.message,
        deleteHooks: action.deleteHooks.map((t) => t.id),
      };
    default:
      return action;
  }
}

describe('nextSyncAction: a sync with hooks and waves', () => {
  it.each<[string, SyncPlan, SyncProgress, unknown]>([
    [
      'starts with the PreSync hook',
      full,
      progress({}),
      { kind: 'apply-wave', phase: 'PreSync', wave: 0, tasks: [ID.migrate] },
    ],
    [
      'waits for a running hook',
      full,
      progress({ [ID.migrate]: synced }, { [KEYS.migrate]: h('Progressing') }),
      { kind: 'wait', reason: 'waiting for completion of hook batch/Job/migrate' },
    ],
    [
      'applies wave 0 once the hook succeeded',
      full,
      progress({ [ID.migrate]: synced }, { [KEYS.migrate]: h('Healthy') }),
      { kind: 'apply-wave', phase: 'Sync', wave: 0, tasks: [ID.config] },
    ],
    [
      'a ConfigMap is healthy once it exists, so wave 1 follows',
      full,
      progress(
        { [ID.migrate]: synced, [ID.config]: synced },
        { [KEYS.migrate]: h('Healthy'), [KEYS.config]: h('Healthy') },
      ),
      { kind: 'apply-wave', phase: 'Sync', wave: 1, tasks: [ID.web] },
    ],
    [
      'PostSync waits until every resource is Healthy',
      full,
      syncedWithWeb('Progressing'),
      { kind: 'wait', reason: 'waiting for healthy state of apps/Deployment/web' },
    ],
    [
      'a Suspended resource keeps the sync waiting, as upstream',
      full,
      syncedWithWeb('Suspended'),
      { kind: 'wait', reason: 'waiting for healthy state of apps/Deployment/web' },
    ],
    [
      'PostSync runs once the Deployment is Healthy',
      full,
      syncedWithWeb('Healthy'),
      { kind: 'apply-wave', phase: 'PostSync', wave: 0, tasks: [ID.smoke] },
    ],
    [
      'succeeds after the PostSync hook and deletes HookSucceeded hooks',
      full,
      progress(
        { [ID.migrate]: synced, [ID.config]: synced, [ID.web]: synced, [ID.smoke]: synced },
        {
          [KEYS.migrate]: h('Healthy'),
          [KEYS.config]: h('Healthy'),
          [KEYS.web]: h('Healthy'),
          [KEYS.smoke]: h('Healthy'),
        },
      ),
      { kind: 'done', phase: 'Succeeded', message: 'successfully synced (all tasks run)', deleteHooks: [ID.migrate] },
    ],
  ])('%s', (_name, plan, state, expected) => {
    expect(summary(nextSyncAction(plan, state))).toEqual(expected);
  });
});

describe('nextSyncAction: failures', () => {
  const appliedAll = { [ID.migrate]: synced, [ID.config]: synced, [ID.web]: synced };
  const healthyAll = { [KEYS.migrate]: h('Healthy'), [KEYS.config]: h('Healthy'), [KEYS.web]: h('Healthy') };

  it.each<[string, SyncPlan, SyncProgress, unknown]>([
    [
      'a failed hook fails the operation and starts the SyncFail hooks',
      full,
      progress({ [ID.migrate]: synced }, { [KEYS.migrate]: h('Degraded') }),
      { kind: 'run-sync-fail-hooks', tasks: [ID.notify] },
    ],
    [
      'a failed apply does the same',
      full,
      progress(
        { [ID.migrate]: synced, [ID.config]: { status: 'SyncFailed', message: 'admission webhook denied' } },
        healthyAll,
      ),
      { kind: 'run-sync-fail-hooks', tasks: [ID.notify] },
    ],
    [
      'waits for running SyncFail hooks',
      full,
      progress(
        { [ID.migrate]: synced, [ID.notify]: synced },
        { [KEYS.migrate]: h('Degraded'), [KEYS.notify]: h('Progressing') },
      ),
      { kind: 'wait', reason: 'waiting for completion of hook batch/Job/notify' },
    ],
    [
      'ends Failed once the SyncFail hooks are done',
      full,
      progress(
        { [ID.migrate]: { status: 'Synced', message: 'job failed: exit 1' }, [ID.notify]: synced },
        { [KEYS.migrate]: h('Degraded'), [KEYS.notify]: h('Healthy') },
      ),
      {
        kind: 'done',
        phase: 'Failed',
        message: 'one or more synchronization tasks completed unsuccessfully, reason: job failed: exit 1',
        deleteHooks: [],
      },
    ],
    [
      'reports failed SyncFail hooks on a second line',
      full,
      progress(
        { [ID.migrate]: synced, [ID.notify]: { status: 'Synced', message: 'boom' } },
        { [KEYS.migrate]: h('Degraded'), [KEYS.notify]: h('Degraded') },
      ),
      {
        kind: 'done',
        phase: 'Failed',
        message:
          'one or more synchronization tasks completed unsuccessfully\none or more SyncFail hooks failed, reason: boom',
        deleteHooks: [],
      },
    ],
    [
      'a Degraded resource fails a multi-step sync',
      full,
      progress(appliedAll, { ...healthyAll, [KEYS.web]: h('Degraded') }),
      { kind: 'run-sync-fail-hooks', tasks: [ID.notify] },
    ],
    [
      'a failed PostSync hook with HookFailed policy is deleted at the end',
      full,
      progress(
        { ...appliedAll, [ID.smoke]: synced, [ID.notify]: synced },
        { ...healthyAll, [KEYS.smoke]: h('Degraded'), [KEYS.notify]: h('Healthy') },
      ),
      {
        kind: 'done',
        phase: 'Failed',
        message: 'one or more synchronization tasks completed unsuccessfully',
        deleteHooks: [ID.smoke],
      },
    ],
    [
      'without SyncFail hooks an apply failure ends the sync at once',
      single,
      progress({ [ID.config]: { status: 'SyncFailed', message: 'forbidden' }, [ID.web]: synced }),
      {
        kind: 'done',
        phase: 'Failed',
        message: 'one or more objects failed to apply, reason: forbidden',
        deleteHooks: [],
      },
    ],
  ])('%s', (_name, plan, state, expected) => {
    expect(summary(nextSyncAction(plan, state))).toEqual(expected);
  });
});

describe('nextSyncAction: single step, prune and terminate', () => {
  it('a single-wave sync succeeds once applied, even if a resource later degrades', () => {
    const action = nextSyncAction(
      single,
      progress({ [ID.config]: synced, [ID.web]: synced }, { [KEYS.web]: h('Degraded') }),
    );
    expect(summary(action)).toMatchObject({ kind: 'done', phase: 'Succeeded' });
  });

  it('waits for pruned objects still being deleted', () => {
    const live = obj('v1', 'ConfigMap', 'old');
    const plan = planSync({
      desired: [obj('apps/v1', 'Deployment', 'web')],
      tracked: [live],
      options: { prune: true },
      nameSuffix: () => 'x',
    });
    const results = { 'Sync:/ConfigMap/demo/old': { status: 'Pruned' as const }, [ID.web]: synced };
    expect(nextSyncAction(plan, progress(results, {}, { deleting: ['/ConfigMap/demo/old'] }))).toEqual({
      kind: 'wait',
      reason: 'waiting for deletion of /ConfigMap/old',
    });
    expect(nextSyncAction(plan, progress(results)).kind).toBe('done');
  });

  it('terminate fails the operation with Argo CD wording and deletes running hooks', () => {
    const action = nextSyncAction(
      full,
      progress({ [ID.migrate]: synced }, { [KEYS.migrate]: h('Progressing') }, { terminate: true }),
    );
    expect(summary(action)).toEqual({
      kind: 'done',
      phase: 'Failed',
      message: MESSAGE_TERMINATED,
      deleteHooks: [ID.migrate],
    });
    expect(MESSAGE_TERMINATED).toBe('Operation terminated');
  });
});

describe('observedTasks: what the operation reads back from the cluster', () => {
  it('a single-wave sync without hooks or prunes reads nothing back (it ends once applied)', () => {
    expect(observedTasks(single)).toEqual([]);
  });
  it('with waves and hooks: every hook and the resources of the waves before the last', () => {
    expect(observedTasks(full).map((t) => t.id)).toEqual([ID.migrate, ID.config, ID.web, ID.smoke, ID.notify]);
    const twoWaves = planSync({
      desired: [
        obj('v1', 'ConfigMap', 'settings'),
        obj('apps/v1', 'Deployment', 'web', { 'argocd.argoproj.io/sync-wave': '1' }),
      ],
      nameSuffix: () => 'x',
    });
    expect(observedTasks(twoWaves).map((t) => t.id)).toEqual([ID.config]);
  });
});

it('resourceResults lists every recorded result with its phase and hook phase', () => {
  const state = progress(
    { [ID.migrate]: { status: 'Synced', message: 'job.batch/migrate created' }, [ID.config]: synced },
    { [KEYS.migrate]: h('Healthy') },
  );
  expect(resourceResults(full, state)).toEqual([
    {
      group: 'batch',
      kind: 'Job',
      namespace: 'demo',
      name: 'migrate',
      status: 'Synced',
      message: 'job.batch/migrate created',
      syncPhase: 'PreSync',
      hookPhase: 'Succeeded',
    },
    {
      group: '',
      kind: 'ConfigMap',
      namespace: 'demo',
      name: 'settings',
      status: 'Synced',
      message: '',
      syncPhase: 'Sync',
    },
  ]);
});
