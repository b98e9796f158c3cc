'use client';
import {
  Background,
  Controls,
  Handle,
  Position,
  ReactFlow,
  type Edge,
  type Node,
  type NodeProps,
  type Viewport,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { APP_NODE_ID, type TreeLayout, type TreeLayoutNode } from '@/lib/domain/gitops/tree-layout';
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
      <Handle type="target" position={Position.Left} style={{ visibility: 'hidden' }} />
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
      <Handle type="source" position={Position.Right} style={{ visibility: 'hidden' }} />
    </div>
  );
}

const nodeTypes = { resource: ResourceNode };
const READABLE_ZOOM = 0.65;

function initialViewport(layout: TreeLayout, boxWidth: number, boxHeight: number): Viewport {
  const pad = 20;
  const zoom = Math.min(
    1,
    (boxWidth - 2 * pad) / Math.max(layout.width, 1),
    (boxHeight - 2 * pad) / Math.max(layout.height, 1),
  );
  const z = Math.max(READABLE_ZOOM, zoom);
  return { x: pad, y: zoom < READABLE_ZOOM ? pad : Math.max(pad, (boxHeight - layout.height * z) / 2), zoom: z };
}

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
      layout.nodes.map((n) => ({
        id: n.id,
        type: 'resource',
        position: { x: n.x, y: n.y },
        draggable: false,
        selectable: n.id !== APP_NODE_ID,
        data: { n, selected: n.id === selected },
      })),
    [layout, selected],
  );
  const edges: Edge[] = useMemo(
    () =>
      layout.edges.map((e) => ({
        id: `${e.from}->${e.to}`,
        source: e.from,
        target: e.to,
        type: 'smoothstep',
        style: { stroke: '#a8b2bd' },
      })),
    [layout],
  );
  const box = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    if (box.current) setViewport(initialViewport(layout, box.current.clientWidth, height));
    // The first view only: live updates must not move what the user panned.
  }, []);
  return (
    <div ref={box} className="resource-tree" style={{ height }} data-testid="resource-tree">
      {viewport ? (
        <ReactFlow
          defaultViewport={viewport}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          minZoom={0.25}
          nodesConnectable={false}
          onNodeClick={(_, n) => n.id !== APP_NODE_ID && onSelect(n.id)}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} color="#eef1f4" />
          <Controls showInteractive={false} orientation="horizontal" />
        </ReactFlow>
      ) : null}
    </div>
  );
}
