import type { Edge, Node } from '@xyflow/react';
import type { FlowDocumentInput } from '../../../runtime/flow/document.js';
import type { NodeCatalogEntry } from '../../../runtime/services/types.js';

/** What a canvas node carries: the flow document's node minus id and position (React Flow owns those). */
export type FlowNodeData = Omit<FlowDocumentInput['nodes'][number], 'id' | 'position' | 'props'> & { props: Record<string, unknown> };

/** A React Flow node of the editor; `width`/`height` are always set so it renders before measuring. */
export type EditorNode = Node<FlowNodeData, 'flow'>;
export type EditorEdge = Edge;

/** Catalog entries by `type@version`. */
export type Catalog = Record<string, NodeCatalogEntry>;

export function catalogKey(type: string, version: number): string {
  return `${type}@${version}`;
}

/** Status of one node in the run shown on the canvas. */
export type NodeRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'waiting' | 'skipped';
