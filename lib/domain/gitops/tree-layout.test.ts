import { describe, expect, it } from 'vitest';
import type { TTreeNode } from '@/lib/schemas/applications';
import { APP_NODE_ID, layoutResourceTree } from './tree-layout';

const node = (kind: string, name: string, parents: string[] = [], extra: Partial<TTreeNode> = {}): TTreeNode => ({
  key: `${kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps' : ''}/${kind}/default/${name}`,
  group: kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps' : '',
  version: 'v1',
  kind,
  namespace: 'default',
  name,
  parents,
  ...extra,
});

const dep = node('Deployment', 'web', [], { health: { status: 'Healthy' }, sync: 'Synced' });
const rs = node('ReplicaSet', 'web-5d9', [dep.key]);
const pod1 = node('Pod', 'web-5d9-a', [rs.key]);
const pod2 = node('Pod', 'web-5d9-b', [rs.key]);
const svc = node('Service', 'web', [], { sync: 'OutOfSync' });
const cm = node('ConfigMap', 'old', [], { requiresPrune: true });

describe('layoutResourceTree', () => {
  it('puts the app, its resources and owned children in successive columns', () => {
    const out = layoutResourceTree('guestbook', [pod1, pod2, rs, dep, svc]);
    const layer = Object.fromEntries(out.nodes.map((n) => [n.id, n.layer]));
    expect(layer).toEqual({ [APP_NODE_ID]: 0, [dep.key]: 1, [svc.key]: 1, [rs.key]: 2, [pod1.key]: 3, [pod2.key]: 3 });
    expect(out.edges).toContainEqual({ from: APP_NODE_ID, to: dep.key });
    expect(out.edges).toContainEqual({ from: rs.key, to: pod2.key });
    expect(out.nodes.find((n) => n.id === APP_NODE_ID)).toMatchObject({ kind: 'Application', name: 'guestbook', x: 0 });
  });

  it('orders resources by kind (config before workloads) and centres a parent on its children', () => {
    const out = layoutResourceTree('a', [svc, dep, cm, rs, pod1, pod2]);
    const y = (id: string) => out.nodes.find((n) => n.id === id)!.y;
    expect(y(cm.key)).toBeLessThan(y(svc.key));
    expect(y(svc.key)).toBeLessThan(y(dep.key));
    expect(y(rs.key)).toBe((y(pod1.key) + y(pod2.key)) / 2);
    expect(y(dep.key)).toBe(y(rs.key));
    expect(out.nodes.find((n) => n.id === cm.key)?.requiresPrune).toBe(true);
    // Rows never overlap: four leaves (cm, svc, pod1, pod2) → four distinct row positions.
    const leaves = [cm, svc, pod1, pod2].map((n) => y(n.key));
    expect(new Set(leaves).size).toBe(4);
    expect(out.height).toBe(4 * 56 + 3 * 14);
  });

  it('treats a node whose parents are not in the tree as one of the app resources', () => {
    const orphan = node('Pod', 'lonely', ['apps/ReplicaSet/default/gone']);
    const out = layoutResourceTree('a', [orphan]);
    expect(out.nodes.find((n) => n.id === orphan.key)?.layer).toBe(1);
    expect(out.edges).toEqual([{ from: APP_NODE_ID, to: orphan.key }]);
  });

  it('survives an owner cycle and draws every parent edge of a shared child', () => {
    const a = node('ConfigMap', 'a', ['/ConfigMap/default/b']);
    const b = node('ConfigMap', 'b', ['/ConfigMap/default/a']);
    const out = layoutResourceTree('a', [a, b]);
    expect(out.nodes).toHaveLength(3);
    const shared = node('Pod', 'shared', [dep.key, svc.key]);
    const out2 = layoutResourceTree('a', [dep, svc, shared]);
    expect(out2.edges.filter((e) => e.to === shared.key)).toHaveLength(2);
    expect(out2.nodes.filter((n) => n.id === shared.key)).toHaveLength(1);
  });

  it('lays out an empty app as the app node alone', () => {
    const out = layoutResourceTree('empty', []);
    expect(out.nodes).toHaveLength(1);
    expect(out.width).toBe(250);
    expect(out.height).toBe(56);
  });
});
