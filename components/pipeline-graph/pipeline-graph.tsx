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
import type { GraphEdge, GraphGroup, GraphNode } from '@/lib/domain/pipeline/layout-graph';
import { toneColors, toneFor } from '../ui/status-badge';

/** What layoutPipelineGraph (lib/domain) produces, plus per-node text; this component only draws it. */
export interface LaidOutGraph {
  nodes: (GraphNode & { detail?: string; tooltip?: string })[];
  edges: GraphEdge[];
  groups?: GraphGroup[];
  width?: number;
  height?: number;
}

type TaskNodeData = {
  label: string;
  kind: 'task' | 'finally';
  status?: string;
  detail?: string;
  tooltip?: string;
  width: number;
  height: number;
};
type GroupNodeData = { label: string; width: number; height: number };

function TaskNode({ data, selected }: NodeProps<Node<TaskNodeData>>) {
  const c = toneColors(toneFor(data.status ?? 'Pending'));
  return (
    <div
      style={{
        width: data.width,
        height: data.height,
        background: '#fff',
        border: `1px solid ${selected ? '#2456d6' : '#d5dae1'}`,
        borderLeft: `5px solid ${c.dot}`,
        borderRadius: 8,
        padding: '6px 10px',
        boxShadow: selected ? '0 0 0 3px #e8eefc' : '0 1px 2px rgba(16,24,40,.06)',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'center',
        gap: 2,
        cursor: 'pointer',
        opacity: data.status === 'Skipped' ? 0.75 : 1,
      }}
      title={data.tooltip}
      data-testid={`graph-node-${data.label}`}
      data-status={data.status ?? ''}
    >
      <Handle type="target" position={Position.Left} style={{ visibility: 'hidden' }} />
      <div
        style={{ fontWeight: 600, fontSize: 13, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
      >
        {data.label}
      </div>
      <div
        style={{
          fontSize: 11,
          color: data.status ? c.fg : '#5d6b7a',
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
        }}
      >
        {data.status ?? (data.kind === 'finally' ? 'finally' : 'task')}
        {data.detail ? ` · ${data.detail}` : ''}
      </div>
      <Handle type="source" position={Position.Right} style={{ visibility: 'hidden' }} />
    </div>
  );
}

/** The dashed box that makes the finally tasks read as one group. */
function GroupNode({ data }: NodeProps<Node<GroupNodeData>>) {
  return (
    <div
      data-testid="graph-group-finally"
      style={{
        width: data.width,
        height: data.height,
        border: '1.5px dashed #b7c0cc',
        borderRadius: 10,
        background: 'rgba(241,243,246,.6)',
        position: 'relative',
        pointerEvents: 'none',
      }}
    >
      <span
        style={{
          position: 'absolute',
          top: -9,
          left: 10,
          background: '#fbfcfd',
          padding: '0 6px',
          fontSize: 11,
          fontWeight: 600,
          color: '#5d6b7a',
          textTransform: 'uppercase',
          letterSpacing: '.05em',
        }}
      >
        {data.label}
      </span>
    </div>
  );
}

const nodeTypes = { task: TaskNode, finallyGroup: GroupNode };

/** Below this zoom the labels are unreadable; a wide graph on a phone starts at its left end and pans instead. */
const READABLE_ZOOM = 0.6;

/**
 * Fits the graph in the box, centred, but never below a readable zoom: a wide graph on a phone
 * starts at its left end and pans instead.
 */
function initialViewport(graph: LaidOutGraph, boxWidth: number, boxHeight: number): Viewport {
  const gw =
    graph.width ??
    Math.max(0, ...graph.nodes.map((n) => n.x + n.width), ...(graph.groups ?? []).map((g) => g.x + g.width));
  const gh = graph.height ?? Math.max(0, ...graph.nodes.map((n) => n.y + n.height));
  const pad = 24;
  const zoom = Math.min(1.1, (boxWidth - 2 * pad) / Math.max(gw, 1), (boxHeight - 2 * pad) / Math.max(gh, 1));
  const z = Math.max(READABLE_ZOOM, zoom);
  const x = zoom < READABLE_ZOOM ? pad : (boxWidth - gw * z) / 2;
  return { x, y: Math.max(pad, (boxHeight - gh * z) / 2), zoom: z };
}

/** Tall enough for the laid-out graph at about its natural size, within limits. */
export function graphBoxHeight(graph: LaidOutGraph): number {
  const h = graph.height ?? Math.max(0, ...graph.nodes.map((n) => n.y + n.height));
  return Math.min(420, Math.max(200, h + 110));
}

export function PipelineGraph({
  graph,
  selected,
  onSelect,
  height = graphBoxHeight(graph),
}: {
  graph: LaidOutGraph;
  selected?: string;
  onSelect?: (id: string) => void;
  height?: number;
}) {
  const nodes: Node[] = useMemo(
    () => [
      ...(graph.groups ?? []).map((g): Node<GroupNodeData> => ({
        id: `group:${g.id}`,
        type: 'finallyGroup',
        position: { x: g.x, y: g.y },
        draggable: false,
        selectable: false,
        focusable: false,
        zIndex: -1,
        data: { label: g.label, width: g.width, height: g.height },
      })),
      ...graph.nodes.map((n): Node<TaskNodeData> => ({
        id: n.id,
        type: 'task',
        position: { x: n.x, y: n.y },
        selected: n.id === selected,
        draggable: false,
        data: {
          label: n.label,
          kind: n.kind,
          status: n.status,
          detail: n.detail,
          tooltip: n.tooltip,
          width: n.width,
          height: n.height,
        },
      })),
    ],
    [graph, selected],
  );
  const edges: Edge[] = useMemo(
    () =>
      graph.edges.map((e) => ({
        id: `${e.from}->${e.to}`,
        source: e.from,
        target: e.to,
        type: 'smoothstep',
        style: { stroke: '#9aa5b1' },
      })),
    [graph],
  );
  const box = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    if (box.current) setViewport(initialViewport(graph, box.current.clientWidth, height));
    // The first view only: later graph updates (live status) must not move what the user panned.
  }, []);
  return (
    <div
      ref={box}
      className="pipeline-graph"
      style={{ height, border: '1px solid var(--border)', borderRadius: 8, background: '#fbfcfd' }}
      data-testid="pipeline-graph"
    >
      {viewport ? (
        <ReactFlow
          defaultViewport={viewport}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          minZoom={0.3}
          nodesConnectable={false}
          onNodeClick={(_, n) => n.type === 'task' && onSelect?.(n.id)}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} color="#eef1f4" />
          <Controls showInteractive={false} orientation="horizontal" fitViewOptions={{ padding: 0.15, maxZoom: 1.1 }} />
        </ReactFlow>
      ) : null}
    </div>
  );
}
