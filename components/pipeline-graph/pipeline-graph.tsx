'use client';
import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { toneColors, toneFor } from '../ui/status-badge';

/** What a pure layout function in lib/domain produces; this component only draws it. */
export interface LaidOutGraph {
  nodes: { id: string; label: string; x: number; y: number; width: number; height: number; kind: 'task' | 'finally'; status?: string; detail?: string }[];
  edges: { from: string; to: string }[];
}

type TaskNodeData = { label: string; kind: 'task' | 'finally'; status?: string; detail?: string; width: number; height: number };

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
      }}
      data-testid={`graph-node-${data.label}`}
      data-status={data.status ?? ''}
    >
      <Handle type="target" position={Position.Left} style={{ visibility: 'hidden' }} />
      <div style={{ fontWeight: 600, fontSize: 13, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{data.label}</div>
      <div style={{ fontSize: 11, color: '#5d6b7a', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
        {data.status ?? (data.kind === 'finally' ? 'finally' : 'task')}
        {data.detail ? ` · ${data.detail}` : ''}
      </div>
      <Handle type="source" position={Position.Right} style={{ visibility: 'hidden' }} />
    </div>
  );
}

const nodeTypes = { task: TaskNode };

export function PipelineGraph({ graph, selected, onSelect, height = 360 }: { graph: LaidOutGraph; selected?: string; onSelect?: (id: string) => void; height?: number }) {
  const nodes: Node<TaskNodeData>[] = useMemo(
    () =>
      graph.nodes.map((n) => ({
        id: n.id,
        type: 'task',
        position: { x: n.x, y: n.y },
        selected: n.id === selected,
        draggable: false,
        data: { label: n.label, kind: n.kind, status: n.status, detail: n.detail, width: n.width, height: n.height },
      })),
    [graph, selected],
  );
  const edges: Edge[] = useMemo(
    () => graph.edges.map((e) => ({ id: `${e.from}->${e.to}`, source: e.from, target: e.to, type: 'smoothstep', style: { stroke: '#9aa5b1' } })),
    [graph],
  );
  return (
    <div style={{ height, border: '1px solid var(--border)', borderRadius: 8, background: '#fbfcfd' }}>
      <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView minZoom={0.3} nodesConnectable={false} onNodeClick={(_, n) => onSelect?.(n.id)} proOptions={{ hideAttribution: true }}>
        <Background gap={16} color="#eef1f4" />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
