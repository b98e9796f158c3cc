'use client';
import type { Node, NodeProps } from '@xyflow/react';
import { useMemo } from 'react';
import type { GraphEdge, GraphGroup, GraphNode } from '@/lib/domain/pipeline/layout-graph';
import { FlowCanvas, flowNode, InHandle, OutHandle, type CanvasLook } from '../graph/flow-canvas';
import { toneColors, toneFor } from '../ui/status-badge';

/** What layoutPipelineGraph (lib/domain) produces, plus per-node text; this component only draws it. */
export interface LaidOutGraph {
  /** `pipeline`: the task runs a child PipelineRun (Pipelines in Pipelines). */
  nodes: (GraphNode & { detail?: string; tooltip?: string; pipeline?: boolean })[];
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
  pipeline?: boolean;
  width: number;
  height: number;
};
type GroupNodeData = { label: string; width: number; height: number };

function TaskNode({ data, selected }: NodeProps<Node<TaskNodeData>>) {
  const c = toneColors(toneFor(data.status ?? 'Pending'));
  const edge = `1px solid ${selected ? '#2456d6' : '#d5dae1'}`;
  return (
    <div
      style={{
        width: data.width,
        height: data.height,
        background: '#fff',
        // Four longhands, no shorthand: React updating `border` on (de)selection would drop the status colour.
        borderTop: edge,
        borderRight: edge,
        borderBottom: edge,
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
      data-kind={data.pipeline ? 'pipeline' : data.kind}
    >
      <InHandle />
      <div
        style={{ fontWeight: 600, fontSize: 13, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
      >
        {data.pipeline ? (
          <span className="node-pipeline-tag" title="Runs a Pipeline as a child PipelineRun">
            pipeline
          </span>
        ) : null}
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
      <OutHandle />
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

/**
 * Fits the graph in the box, centred, but never below a readable zoom (0.6, below it the labels
 * are unreadable): a wide graph on a phone starts at its left end and pans instead.
 */
const LOOK: CanvasLook = {
  nodeTypes,
  fit: { pad: 24, maxZoom: 1.1, readableZoom: 0.6, centerX: true, topWhenPanned: false },
  minZoom: 0.3,
  edgeColor: '#9aa5b1',
  fitViewOptions: { padding: 0.15, maxZoom: 1.1 },
  className: 'pipeline-graph',
  style: { border: '1px solid var(--border)', borderRadius: 8, background: '#fbfcfd' },
  testId: 'pipeline-graph',
};

function graphSize(graph: LaidOutGraph) {
  return {
    width:
      graph.width ??
      Math.max(0, ...graph.nodes.map((n) => n.x + n.width), ...(graph.groups ?? []).map((g) => g.x + g.width)),
    height: graph.height ?? Math.max(0, ...graph.nodes.map((n) => n.y + n.height)),
  };
}

/** Tall enough for the laid-out graph at about its natural size, within limits. */
export function graphBoxHeight(graph: LaidOutGraph): number {
  return Math.min(420, Math.max(200, graphSize(graph).height + 110));
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
      ...(graph.groups ?? []).map((g) =>
        flowNode<GroupNodeData>(
          { id: `group:${g.id}`, x: g.x, y: g.y },
          'finallyGroup',
          { label: g.label, width: g.width, height: g.height },
          { selectable: false, focusable: false, zIndex: -1 },
        ),
      ),
      ...graph.nodes.map((n) =>
        flowNode<TaskNodeData>(
          n,
          'task',
          {
            label: n.label,
            kind: n.kind,
            status: n.status,
            detail: n.detail,
            tooltip: n.tooltip,
            pipeline: n.pipeline,
            width: n.width,
            height: n.height,
          },
          { selected: n.id === selected },
        ),
      ),
    ],
    [graph, selected],
  );
  return (
    <FlowCanvas
      look={LOOK}
      height={height}
      size={graphSize(graph)}
      nodes={nodes}
      edges={graph.edges}
      onNodeClick={(n) => n.type === 'task' && onSelect?.(n.id)}
    />
  );
}
