import { memo, useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import {
  Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow, useStore,
  type Connection, type FinalConnectionState, type IsValidConnection,
} from '@xyflow/react';
import { useEditor, useEditorStore } from '../store/context';
import { connectionProblem } from '../store/graph';
import type { EditorEdge, EditorNode } from '../store/types';
import { FlowNodeView } from './FlowNodeView';
import { DRAG_TYPE } from './Palette';

const nodeTypes = { flow: FlowNodeView };
const GRID: [number, number] = [20, 20];
// Props passed as literals would be new objects on every render, and React Flow re-applies them.
const DEFAULT_EDGE_OPTIONS = { type: 'smoothstep' } as const;
const PRO_OPTIONS = { hideAttribution: true };
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
/**
 * Above this many nodes React Flow renders only what is in view. Not lower: while panning, nodes
 * that scroll in are mounted, measured and reported back as dimension changes every frame, which
 * costs far more than keeping a few hundred nodes mounted (bench/editor-300-nodes.ts).
 */
const VIRTUALIZE_ABOVE = 1000;
/** Above this many nodes the minimap draws plain boxes in one colour. */
const SIMPLE_MINIMAP_ABOVE = 150;

/** Below this zoom the grid's dots are under half a pixel: not worth drawing. */
const DOTS_MIN_ZOOM = 0.4;

/**
 * The dotted grid, left out when zoomed far out. There its dots are a few pixels apart and nearly
 * invisible, yet the browser repaints every one of them on each frame of a pan; on a large flow
 * (fit to view, so zoomed out) that was most of the cost of panning. Re-renders only when the zoom
 * crosses the threshold.
 */
function DotGrid() {
  const show = useStore((s) => s.transform[2] >= DOTS_MIN_ZOOM);
  return show ? <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} /> : null;
}

/**
 * The React Flow canvas bound to the store. Deleting goes through the store (one undo step for
 * nodes and their edges), so React Flow's own delete key is off; the editor's shortcut handler
 * calls `deleteSelected`.
 */
function CanvasBase({ onNodeOpen }: { onNodeOpen?(id: string): void }) {
  const store = useEditorStore();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const readOnly = useEditor((s) => s.readOnly);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const flow = useReactFlow<EditorNode, EditorEdge>();
  const [toast, setToast] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const say = useCallback((message: string) => {
    setToast(message);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setToast(undefined), 5000);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  const isValidConnection: IsValidConnection<EditorEdge> = useCallback((c) => {
    const { nodes: n, edges: e, catalog } = store.getState();
    return connectionProblem({ source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null, targetHandle: c.targetHandle ?? null }, n, e, catalog) === undefined;
  }, [store]);

  const onConnect = useCallback((c: Connection) => {
    const problem = store.getState().connect(c);
    if (problem) say(problem);
  }, [store, say]);

  // A drop on a port that isValidConnection refused: tell the user why instead of doing nothing.
  const onConnectEnd = useCallback((_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
    const from = state.fromHandle.type === 'source' ? state.fromHandle : state.toHandle;
    const to = state.fromHandle.type === 'source' ? state.toHandle : state.fromHandle;
    const { nodes: n, edges: e, catalog } = store.getState();
    const problem = from.type === to.type
      ? `Connect an output (right side) to an input (left side).`
      : connectionProblem({ source: from.nodeId, sourceHandle: from.id ?? 'main', target: to.nodeId, targetHandle: to.id ?? 'main' }, n, e, catalog);
    if (problem) say(problem);
  }, [store, say]);

  const onNodeDoubleClick = useCallback((_event: unknown, node: EditorNode) => onNodeOpen?.(node.id), [onNodeOpen]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback((event: DragEvent) => {
    const payload = event.dataTransfer.getData(DRAG_TYPE);
    if (!payload) return;
    event.preventDefault();
    const at = payload.lastIndexOf('@');
    const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    // Centre the new node under the pointer.
    store.getState().addNode(payload.slice(0, at), Number(payload.slice(at + 1)), { x: position.x - 100, y: position.y - 28 });
  }, [flow, store]);

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      {nodes.length === 0 && (
        <div className="canvas-empty">
          <div>
            <h2>Start with a trigger</h2>
            <p>Drag <strong>Webhook</strong>, <strong>Schedule</strong> or <strong>Manual trigger</strong> from the left onto this canvas,<br />then add the steps that follow. Press <span className="kbd">?</span> for shortcuts.</p>
          </div>
        </div>
      )}
      <ReactFlow<EditorNode, EditorEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDoubleClick={onNodeDoubleClick}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        snapToGrid
        snapGrid={GRID}
        minZoom={0.1}
        onlyRenderVisibleElements={nodes.length > VIRTUALIZE_ABOVE}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        proOptions={PRO_OPTIONS}
      >
        <DotGrid />
        <Controls showInteractive={false} />
        {nodes.length > SIMPLE_MINIMAP_ABOVE
          ? <MiniMap pannable zoomable ariaLabel="Mini map of the flow" nodeColor="#dee2e6" nodeStrokeWidth={0} nodeBorderRadius={0} />
          : <MiniMap pannable zoomable ariaLabel="Mini map of the flow" />}
      </ReactFlow>
      {toast && <div className="toast" role="status" aria-live="polite" data-testid="toast">{toast}</div>}
    </div>
  );
}

/** Memoized: the editor re-renders for panels and toolbar state that the canvas does not use. */
export const Canvas = memo(CanvasBase);
