import type { THealthStatus, TSyncStatus, TTreeNode } from '@/lib/schemas/applications';

/** The id of the application's own node, the root of the tree. */
export const APP_NODE_ID = '@app';

export interface TreeLayoutNode {
  id: string;
  /** Column: 0 for the app, 1 for its resources, 2+ for owned children. */
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
  kind: string;
  name: string;
  health?: THealthStatus;
  sync?: TSyncStatus;
  requiresPrune?: boolean;
  info?: string[];
}

export interface TreeLayoutEdge {
  from: string;
  to: string;
}

export interface TreeLayout {
  nodes: TreeLayoutNode[];
  edges: TreeLayoutEdge[];
  width: number;
  height: number;
}

export interface TreeLayoutOptions {
  nodeWidth?: number;
  nodeHeight?: number;
  columnGap?: number;
  rowGap?: number;
}

/** Argo CD's habit: namespaces and config first, workloads next, their children last. */
const KIND_ORDER = [
  'Namespace',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  'Ingress',
];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
}

export function compareTreeNodes(a: Pick<TTreeNode, 'kind' | 'name'>, b: Pick<TTreeNode, 'kind' | 'name'>): number {
  return kindRank(a.kind) - kindRank(b.kind) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
}

/**
 * Left-to-right tidy tree: app → its resources → owned children. Each leaf takes the next row and
 * a parent sits centred on its children. A node with several parents is placed under the first
 * one met, with edges from all of them; parents missing from the tree make a node a root.
 */
export function layoutResourceTree(
  appName: string,
  tree: readonly TTreeNode[],
  options: TreeLayoutOptions = {},
): TreeLayout {
  const w = options.nodeWidth ?? 250;
  const h = options.nodeHeight ?? 56;
  const colGap = options.columnGap ?? 44;
  const rowGap = options.rowGap ?? 14;

  const byKey = new Map(tree.map((n) => [n.key, n]));
  const children = new Map<string, TTreeNode[]>();
  const edges: TreeLayoutEdge[] = [];
  for (const n of tree) {
    const parents = n.parents.filter((p) => byKey.has(p) && p !== n.key);
    for (const p of parents.length > 0 ? parents : [APP_NODE_ID]) {
      const list = children.get(p) ?? [];
      list.push(n);
      children.set(p, list);
      edges.push({ from: p, to: n.key });
    }
  }
  for (const list of children.values()) list.sort(compareTreeNodes);

  const placed = new Map<string, { layer: number; row: number }>();
  let nextRow = 0;
  const place = (id: string, layer: number): number => {
    const kids = (children.get(id) ?? []).filter((c) => !placed.has(c.key));
    // Reserve the id first so a cycle in owner references cannot recurse forever.
    placed.set(id, { layer, row: -1 });
    const rows = kids.map((c) => place(c.key, layer + 1));
    const row = rows.length > 0 ? (rows[0] + rows[rows.length - 1]) / 2 : nextRow++;
    placed.set(id, { layer, row });
    return row;
  };
  place(APP_NODE_ID, 0);
  // Anything only reachable through a cycle still gets a place at the bottom.
  for (const n of [...tree].sort(compareTreeNodes)) if (!placed.has(n.key)) place(n.key, 1);

  const nodes: TreeLayoutNode[] = [];
  let maxLayer = 0;
  for (const [id, { layer, row }] of placed) {
    maxLayer = Math.max(maxLayer, layer);
    const base = { id, layer, x: layer * (w + colGap), y: row * (h + rowGap), width: w, height: h };
    if (id === APP_NODE_ID) {
      nodes.push({ ...base, kind: 'Application', name: appName });
      continue;
    }
    const n = byKey.get(id);
    if (!n) continue;
    nodes.push({
      ...base,
      kind: n.kind,
      name: n.name,
      health: n.health?.status,
      sync: n.sync,
      requiresPrune: n.requiresPrune,
      info: n.info,
    });
  }
  const rows = Math.max(1, nextRow);
  return { nodes, edges, width: (maxLayer + 1) * w + maxLayer * colGap, height: rows * h + (rows - 1) * rowGap };
}
