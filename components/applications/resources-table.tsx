'use client';
import type { TTreeNode } from '@/lib/schemas/applications';
import { compareTreeNodes } from '@/lib/domain/gitops/tree-layout';
import { kindAbbrev } from '../resource-tree/kind-label';
import { StateIcon } from '../ui/status-badge';
import { DataTable, wide } from '../ui/data-table';

/** The app's own resources as a list (children indented under them): the tree on a phone. */
export function ResourcesTable({
  nodes,
  selected,
  onSelect,
}: {
  nodes: TTreeNode[];
  selected?: string;
  onSelect: (key: string) => void;
}) {
  const children = new Map<string, TTreeNode[]>();
  for (const n of nodes) for (const p of n.parents) children.set(p, [...(children.get(p) ?? []), n]);
  const keys = new Set(nodes.map((n) => n.key));
  const rows: { node: TTreeNode; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (n: TTreeNode, depth: number) => {
    if (seen.has(n.key)) return;
    seen.add(n.key);
    rows.push({ node: n, depth });
    for (const c of (children.get(n.key) ?? []).sort(compareTreeNodes)) walk(c, depth + 1);
  };
  for (const n of nodes.filter((n) => !n.parents.some((p) => keys.has(p))).sort(compareTreeNodes)) walk(n, 0);
  return (
    <DataTable label="Resources" className="table res-table" columns={['Resource', 'Status', wide('Namespace')]}>
      {rows.map(({ node: n, depth }) => (
        <tr key={n.key} aria-selected={n.key === selected} className={n.key === selected ? 'row-selected' : undefined}>
          <td style={{ paddingLeft: 10 + depth * 18 }}>
            <button type="button" className="res-link" onClick={() => onSelect(n.key)}>
              <span className="res-kind">{kindAbbrev(n.kind)}</span>
              <span className="res-name">{n.name}</span>
            </button>
          </td>
          <td>
            <span className="res-state">
              {n.health ? <StateIcon state={n.health.status} title={`Health: ${n.health.status}`} /> : null}
              {n.sync ? <StateIcon state={n.sync} title={`Sync: ${n.sync}`} /> : null}
              {n.requiresPrune ? <span className="chip-cond">prune</span> : null}
            </span>
          </td>
          <td className="hide-sm muted">{n.namespace || '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
