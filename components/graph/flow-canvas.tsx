'use client';
import {
  Background,
  Controls,
  Handle,
  Position,
  ReactFlow,
  type Edge,
  type FitViewOptions,
  type Node,
  type NodeTypes,
  type ReactFlowInstance,
  type Viewport,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { fitViewport, type FitOptions } from '@/lib/domain/graph/fit-viewport';

/** A node or box placed by a lib/domain layout (layoutPipelineGraph, layoutResourceTree). */
export interface PlacedBox {
  id: string;
  x: number;
  y: number;
}

/** A React Flow node at its laid-out place; nodes never move by dragging. */
export function flowNode<D extends Record<string, unknown>>(
  box: PlacedBox,
  type: string,
  data: D,
  extra: Partial<Node<D>> = {},
): Node<D> {
  return { id: box.id, type, position: { x: box.x, y: box.y }, draggable: false, data, ...extra };
}

/** The invisible connection points every node has: edges enter on the left and leave on the right. */
export function InHandle() {
  return <Handle type="target" position={Position.Left} style={{ visibility: 'hidden' }} />;
}
export function OutHandle() {
  return <Handle type="source" position={Position.Right} style={{ visibility: 'hidden' }} />;
}

/** How one kind of graph looks and first fits: fixed per component. */
export interface CanvasLook {
  nodeTypes: NodeTypes;
  fit: FitOptions;
  minZoom: number;
  edgeColor: string;
  fitViewOptions?: FitViewOptions;
  className: string;
  style?: CSSProperties;
  testId: string;
}

/**
 * The one React Flow wrapper of the dashboard (pipeline graph, resource tree): a box of a given
 * height, a viewport fitted to the laid-out size (first, and again when the box's width changes), smooth-step
 * edges, background and controls.
 */
export function FlowCanvas({
  look: { nodeTypes, fit, minZoom, edgeColor, fitViewOptions, className, style, testId },
  nodes,
  edges,
  size,
  height,
  onNodeClick,
}: {
  look: CanvasLook;
  nodes: Node[];
  edges: { from: string; to: string }[];
  /** The laid-out graph's width and height. */
  size: { width: number; height: number };
  height: number;
  onNodeClick: (node: Node) => void;
}) {
  const flowEdges: Edge[] = useMemo(
    () =>
      edges.map((e) => ({
        id: `${e.from}->${e.to}`,
        source: e.from,
        target: e.to,
        type: 'smoothstep',
        style: { stroke: edgeColor },
      })),
    [edges, edgeColor],
  );
  const box = useRef<HTMLDivElement>(null);
  const flow = useRef<ReactFlowInstance | null>(null);
  // What a re-fit needs, as of the last render (the observer below outlives renders).
  const latest = useRef({ size, height, fit });
  latest.current = { size, height, fit };
  const [viewport, setViewport] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    let width = el.clientWidth;
    setViewport(fitViewport(size, { width, height }, fit));
    // Later updates (live status) must not move what the user panned; only a new box width fits again
    // (a window turned from desktop to phone width would otherwise show an empty or cut-off graph).
    const observer = new ResizeObserver(() => {
      if (el.clientWidth === width || el.clientWidth === 0) return;
      width = el.clientWidth;
      const { size: s, height: h, fit: f } = latest.current;
      void flow.current?.setViewport(fitViewport(s, { width, height: h }, f));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className={className} style={{ height, ...style }} data-testid={testId}>
      {viewport ? (
        <ReactFlow
          defaultViewport={viewport}
          onInit={(instance) => {
            flow.current = instance;
          }}
          nodes={nodes}
          edges={flowEdges}
          nodeTypes={nodeTypes}
          minZoom={minZoom}
          nodesConnectable={false}
          onNodeClick={(_, n) => onNodeClick(n)}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} color="#eef1f4" />
          <Controls showInteractive={false} orientation="horizontal" fitViewOptions={fitViewOptions} />
        </ReactFlow>
      ) : null}
    </div>
  );
}
