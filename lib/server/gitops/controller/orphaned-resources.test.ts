import { describe, expect, it } from 'vitest';
import type { ClusterCache } from '@/lib/adapters/k8s';
import type { KubeObject } from '@/lib/domain/gitops';
import { defaultProject } from '@/lib/domain/gitops/projects';
import { createOrphanWatchers, orphanedStateOf } from './orphaned-resources';

const cm = (name: string, namespace = 'shop'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, uid: `uid-${name}` },
});

/** A watch whose cache answers list({namespace}) from `objects`, counting the calls. */
function watchOf(objects: KubeObject[]) {
  const calls: unknown[] = [];
  const cache = {
    list: (filter?: { namespace?: string }) => {
      calls.push(filter);
      return objects.filter((o) => !filter?.namespace || o.metadata.namespace === filter.namespace);
    },
  } as Pick<ClusterCache, 'list'> as ClusterCache;
  return { watch: { cache: () => cache }, calls };
}

const project = (orphanedResources?: { warn?: boolean }) => {
  const p = defaultProject();
  if (orphanedResources) p.spec.orphanedResources = orphanedResources;
  return p;
};

describe('orphanedStateOf', () => {
  it('lists nothing (the cache is not read) when the project does not set orphanedResources', () => {
    const { watch, calls } = watchOf([cm('stray')]);
    expect(orphanedStateOf(project(), { destNamespace: 'shop' }, watch, [])).toBeUndefined();
    expect(orphanedStateOf(undefined, { destNamespace: 'shop' }, watch, [])).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('orphaned tree nodes of the namespace, desired objects left out, and the warning (warn defaults to true)', () => {
    const { watch, calls } = watchOf([cm('stray'), cm('settings'), cm('other', 'elsewhere')]);
    const state = orphanedStateOf(project({}), { destNamespace: 'shop' }, watch, [cm('settings')]);
    expect(calls).toEqual([{ namespace: 'shop' }]);
    expect(state?.nodes).toMatchObject([
      { key: '/ConfigMap/shop/stray', uid: 'uid-stray', kind: 'ConfigMap', version: 'v1', parents: [], orphaned: true },
    ]);
    expect(state?.conditions).toEqual([
      { type: 'OrphanedResourceWarning', message: 'Application has 1 orphaned resources' },
    ]);
  });

  it('warn: false lists the orphaned nodes without a condition; none orphaned, no condition', () => {
    const { watch } = watchOf([cm('stray')]);
    const quiet = orphanedStateOf(project({ warn: false }), { destNamespace: 'shop' }, watch, []);
    expect(quiet?.nodes.map((n) => n.name)).toEqual(['stray']);
    expect(quiet?.conditions).toEqual([]);
    expect(orphanedStateOf(project({}), { destNamespace: 'shop' }, watch, [cm('stray')])?.conditions).toEqual([]);
  });

  it('orphan watchers: an untracked top-level object of a monitored namespace names the apps to refresh', () => {
    const w = createOrphanWatchers();
    w.set('a', { cluster: 'prod', namespace: 'shop' });
    w.set('b', { cluster: 'prod', namespace: 'shop' });
    expect(w.appsFor('prod', cm('stray'))).toEqual(['a', 'b']);
    expect(w.appsFor('test', cm('stray'))).toEqual([]);
    const owned = {
      ...cm('pod'),
      metadata: { ...cm('pod').metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u' }] },
    };
    expect(w.appsFor('prod', owned)).toEqual([]);
    w.set('a', { cluster: 'prod', namespace: 'web' });
    w.set('b', undefined);
    expect(w.appsFor('prod', cm('stray'))).toEqual([]);
    expect(w.appsFor('prod', cm('stray', 'web'))).toEqual(['a']);
  });
});
