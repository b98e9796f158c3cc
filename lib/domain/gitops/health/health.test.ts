import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFixtures, loadObject } from '@/tests/fixtures/gitops/load-fixtures';
import type { KubeObject } from '../k8s-object';
import { aggregateHealth, assessHealth, HEALTH_STATUSES, type HealthStatusCode } from './index';

const load = (file: string): KubeObject => loadObject(`health/${file}`);

/** `deployment-progressing-generation.yaml` → kind `deployment`, expected `Progressing`. */
function expectation(file: string): { kind: string; status: HealthStatusCode } {
  const [kind, state] = path.basename(file, '.yaml').split('-');
  const status = HEALTH_STATUSES.find((s) => s.toLowerCase() === state);
  if (!status) throw new Error(`${file}: unknown state "${state}"`);
  return { kind, status };
}

const fixtures = listFixtures('health');

describe('assessHealth over every fixture', () => {
  it.each(fixtures)('%s', (file) => {
    const obj = load(file);
    const { kind, status } = expectation(file);
    expect(obj.kind.toLowerCase()).toBe(kind);
    expect(assessHealth(obj).status).toBe(status);
  });
});

/** States a rule can never produce, upstream included, and why. Everything else needs a fixture. */
const NOT_APPLICABLE: Record<string, Partial<Record<HealthStatusCode, string>>> = {
  deployment: {},
  statefulset: { Degraded: 'gitops-engine has no failure signal for StatefulSets', Suspended: 'no pause field' },
  daemonset: { Degraded: 'gitops-engine has no failure signal for DaemonSets', Suspended: 'no pause field' },
  replicaset: { Suspended: 'no pause field' },
  pod: { Suspended: 'pods cannot be suspended' },
  service: { Degraded: 'a Service only waits for a load-balancer address', Suspended: 'n/a' },
  ingress: { Degraded: 'an Ingress only waits for a load-balancer address', Suspended: 'n/a' },
  persistentvolumeclaim: { Suspended: 'n/a' },
  job: {},
  cronjob: {},
  horizontalpodautoscaler: { Suspended: 'n/a' },
};

describe('fixture coverage', () => {
  const have = new Set(fixtures.map((f) => `${expectation(f).kind}:${expectation(f).status}`));
  for (const [kind, skipped] of Object.entries(NOT_APPLICABLE)) {
    const wanted = (['Healthy', 'Progressing', 'Degraded', 'Suspended'] as const).filter((s) => !(s in skipped));
    it(`${kind} has fixtures for ${wanted.join(', ')}`, () => {
      expect(wanted.filter((s) => !have.has(`${kind}:${s}`))).toEqual([]);
    });
  }
});

describe('messages follow gitops-engine', () => {
  it.each([
    ['deployment-degraded.yaml', 'Deployment "web" exceeded its progress deadline'],
    ['deployment-progressing.yaml', 'Waiting for rollout to finish: 1 out of 3 new replicas have been updated...'],
    [
      'deployment-progressing-unavailable.yaml',
      'Waiting for rollout to finish: 2 of 3 updated replicas are available...',
    ],
    ['deployment-suspended.yaml', 'Deployment is paused'],
    ['statefulset-progressing-not-ready.yaml', 'Waiting for 2 pods to be ready...'],
    ['pod-degraded.yaml', 'back-off 5m0s restarting failed container=web'],
    ['pod-degraded-failed.yaml', 'container "migrate" failed with exit code 3'],
    ['job-degraded.yaml', 'Job has reached the specified backoff limit'],
    ['configmap-progressing-deleting.yaml', 'Pending deletion'],
    ['cronjob-degraded.yaml', 'CronJob has not completed its last execution successfully'],
  ])('%s → %s', (file, message) => {
    expect(assessHealth(load(file)).message).toBe(message);
  });

  it('reports why a malformed object is Unknown', () => {
    expect(assessHealth(load('deployment-unknown-malformed.yaml')).message).toMatch(/spec\.replicas/);
  });

  it('is Missing for an object that is not in the cluster', () => {
    expect(assessHealth(undefined)).toEqual({ status: 'Missing' });
  });

  it('dispatches by group as well as kind: a custom resource named Deployment is Healthy once it exists', () => {
    const cr = { ...load('deployment-degraded.yaml'), apiVersion: 'example.com/v1' };
    expect(assessHealth(cr).status).toBe('Healthy');
  });
});

describe('aggregateHealth', () => {
  it.each<[string, Array<{ status: HealthStatusCode; hook?: boolean }>, HealthStatusCode]>([
    ['no resources', [], 'Healthy'],
    ['all healthy', [{ status: 'Healthy' }, { status: 'Healthy' }], 'Healthy'],
    ['suspended beats healthy', [{ status: 'Healthy' }, { status: 'Suspended' }], 'Suspended'],
    ['progressing beats suspended', [{ status: 'Suspended' }, { status: 'Progressing' }], 'Progressing'],
    ['degraded beats progressing', [{ status: 'Progressing' }, { status: 'Degraded' }], 'Degraded'],
    ['unknown is worst', [{ status: 'Degraded' }, { status: 'Unknown' }], 'Unknown'],
    ['missing only when none exist', [{ status: 'Missing' }, { status: 'Missing' }], 'Missing'],
    ['one existing resource hides missing ones', [{ status: 'Missing' }, { status: 'Progressing' }], 'Progressing'],
    ['hooks are left out', [{ status: 'Healthy' }, { status: 'Degraded', hook: true }], 'Healthy'],
    ['only hooks exist → missing', [{ status: 'Missing' }, { status: 'Healthy', hook: true }], 'Missing'],
  ])('%s', (_name, resources, expected) => {
    expect(aggregateHealth(resources)).toBe(expected);
  });
});
