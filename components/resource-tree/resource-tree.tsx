'use client';
import type { Node, NodeProps } from '@xyflow/react';
import { useMemo } from 'react';
import { APP_NODE_ID, type TreeLayout, type TreeLayoutNode } from '@/lib/domain/gitops/tree-layout';
import { FlowCanvas, flowNode, InHandle, OutHandle, type CanvasLook } from '../graph/flow-canvas';
import { Icon } from '../ui/icons';
import { StateIcon, toneColors, toneFor } from '../ui/status-badge';
import { kindAbbrev } from './kind-label';
import './resource-tree.css';

type ResourceNodeData = { n: TreeLayoutNode; selected: boolean };

function ResourceNode({ data: { n: data, selected } }: NodeProps<Node<ResourceNodeData>>) {
  const isApp = data.id === APP_NODE_ID;
  const c = toneColors(toneFor(data.health ?? (isApp ? undefined : 'Unknown')));
  return (
    <div
      className={`rt-node${isApp ? ' rt-app' : ''}${selected ? ' rt-selected' : ''}${data.requiresPrune ? ' rt-prune' : ''}`}
      style={{ width: data.width, height: data.height, borderLeftColor: data.health ? c.dot : '#cbd5e1' }}
      data-testid={`tree-node-${data.kind}-${data.name}`}
      title={[`${data.kind} ${data.name}`, ...(data.info ?? [])].join('\n')}
    >
      <InHandle />
      <span className="rt-kind" aria-hidden="true">
        {isApp ? <Icon name="apps" size={16} /> : kindAbbrev(data.kind)}
      </span>
      <span className="rt-text">
        <span className="rt-name">{data.name}</span>
        <span className="rt-sub">
          {data.kind}
          {data.info?.[0] ? ` · ${data.info[0]}` : ''}
        </span>
      </span>
      <span className="rt-icons">
        {data.health ? <StateIcon state={data.health} size={14} title={`Health: ${data.health}`} /> : null}
        {data.sync ? <StateIcon state={data.sync} size={14} title={`Sync: ${data.sync}`} /> : null}
        {data.requiresPrune ? (
          <span className="rt-prune-mark" title="Requires pruning: live, no longer in Git">
            <Icon name="prune" size={12} />
          </span>
        ) : null}
      </span>
      <OutHandle />
    </div>
  );
}

const nodeTypes = { resource: ResourceNode };
/** Starts at the left; below a zoom of 0.65 the tree starts at its top-left corner and pans instead. */
const LOOK: CanvasLook = {
  nodeTypes,
  fit: { pad: 20, maxZoom: 1, readableZoom: 0.65, centerX: false, topWhenPanned: true },
  minZoom: 0.25,
  edgeColor: '#a8b2bd',
  className: 'resource-tree',
  testId: 'resource-tree',
};

/** The app's resource tree as laid out by layoutResourceTree (lib/domain); this only draws it. */
export function ResourceTree({
  layout,
  selected,
  onSelect,
}: {
  layout: TreeLayout;
  selected?: string;
  onSelect: (id: string) => void;
}) {
  const height = Math.min(620, Math.max(220, layout.height + 60));
  const nodes: Node<ResourceNodeData>[] = useMemo(
    () =>
      layout.nodes.map((n) =>
        flowNode<ResourceNodeData>(
          n,
          'resource',
          { n, selected: n.id === selected },
          { selectable: n.id !== APP_NODE_ID },
        ),
      ),
    [layout, selected],
  );
  return (
    <FlowCanvas
      look={LOOK}
      height={height}
      size={layout}
      nodes={nodes}
      edges={layout.edges}
      onNodeClick={(n) => n.id !== APP_NODE_ID && onSelect(n.id)}
    />
  );
}
