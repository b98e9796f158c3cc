import { buildDag, topologicalOrder } from './dag';
import type { TPipelineSpec } from './pipeline-schemas';

export interface GraphNode {
  id: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  kind: 'task' | 'finally';
  status?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
}

export interface GraphGroup {
  id: 'finally';
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The box around the finally tasks, drawn so they read as one group. */
  groups: GraphGroup[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  nodeWidth?: number;
  nodeHeight?: number;
  columnGap?: number;
  rowGap?: number;
  groupPadding?: number;
}

/**
 * Layered left-to-right layout: a task's column is the length of the longest path to it, rows in
 * a column follow the mean row of each task's parents (then spec order), and finally tasks stack
 * in their own column after the last one.
 */
export function layoutPipelineGraph(
  spec: TPipelineSpec,
  status: Readonly<Record<string, string>> = {},
  options: LayoutOptions = {},
): GraphLayout {
  const w = options.nodeWidth ?? 180;
  const h = options.nodeHeight ?? 48;
  const colGap = options.columnGap ?? 80;
  const rowGap = options.rowGap ?? 24;
  const pad = options.groupPadding ?? 16;
  const dag = buildDag(spec.tasks);

  const layer = new Map<string, number>();
  for (const name of topologicalOrder(dag)) {
    const parents = [...(dag.parents.get(name) ?? [])];
    layer.set(name, parents.length === 0 ? 0 : Math.max(...parents.map((p) => layer.get(p) ?? 0)) + 1);
  }
  // Tasks caught in a cycle have no order; put them in the first column so they still show.
  for (const name of dag.names) if (!layer.has(name)) layer.set(name, 0);

  const columns: string[][] = [];
  for (const name of dag.names) (columns[layer.get(name) ?? 0] ??= []).push(name);
  const row = new Map<string, number>();
  const specIndex = new Map(dag.names.map((n, i) => [n, i]));
  columns.forEach((column, c) => {
    const keyed = column.map((name) => {
      const parentRows = [...(dag.parents.get(name) ?? [])]
        .map((p) => row.get(p))
        .filter((r): r is number => r !== undefined);
      const mean = parentRows.length ? parentRows.reduce((a, b) => a + b, 0) / parentRows.length : -1;
      return { name, key: c === 0 ? (specIndex.get(name) ?? 0) : mean };
    });
    keyed.sort((a, b) => a.key - b.key || (specIndex.get(a.name) ?? 0) - (specIndex.get(b.name) ?? 0));
    keyed.forEach(({ name }, i) => row.set(name, i));
  });

  const byName = new Map(spec.tasks.map((t) => [t.name, t]));
  const nodes: GraphNode[] = dag.names.map((name) => ({
    id: name,
    label: byName.get(name)?.displayName ?? name,
    x: (layer.get(name) ?? 0) * (w + colGap),
    y: (row.get(name) ?? 0) * (h + rowGap),
    width: w,
    height: h,
    kind: 'task',
    ...(status[name] !== undefined ? { status: status[name] } : {}),
  }));
  const edges: GraphEdge[] = dag.names.flatMap((name) =>
    [...(dag.parents.get(name) ?? [])].map((from) => ({ from, to: name })),
  );

  const groups: GraphGroup[] = [];
  const finallyTasks = spec.finally ?? [];
  const dagWidth = columns.length * (w + colGap) - colGap;
  if (finallyTasks.length > 0) {
    const x = columns.length * (w + colGap) + pad;
    finallyTasks.forEach((t, i) => {
      nodes.push({
        id: t.name,
        label: t.displayName ?? t.name,
        x,
        y: pad + i * (h + rowGap),
        width: w,
        height: h,
        kind: 'finally',
        ...(status[t.name] !== undefined ? { status: status[t.name] } : {}),
      });
    });
    groups.push({
      id: 'finally',
      label: 'finally',
      x: x - pad,
      y: 0,
      width: w + 2 * pad,
      height: finallyTasks.length * (h + rowGap) - rowGap + 2 * pad,
    });
  }
  const width = groups.length ? groups[0].x + groups[0].width : Math.max(dagWidth, 0);
  const height = Math.max(0, ...nodes.map((n) => n.y + n.height), ...groups.map((g) => g.y + g.height));
  return { nodes, edges, groups, width, height };
}
