import { createStore, type StoreApi } from 'zustand/vanilla';
import { createGraphSlice, type GraphSlice } from './graph-slice';
import { createHistorySlice, type HistorySlice } from './history-slice';
import { createPinSlice, type PinSlice } from './pin-slice';
import { createRunSlice, createValidationSlice, type RunSlice, type ValidationSlice } from './run-slice';

/** UI-only state of the side panel. */
export interface InspectorSlice {
  /** Which panel the right side shows when a node is selected. */
  panel: 'settings' | 'data';
  setPanel(panel: InspectorSlice['panel']): void;
  /** Set by an output port's "+": the palette then adds the next node connected to that port. */
  addFrom?: { nodeId: string; handle: string };
  setAddFrom(from: InspectorSlice['addFrom']): void;
}

/** The editor's one store: graph, history (undo/redo), validation, run view, pins and inspector slices. */
export type EditorState = GraphSlice & HistorySlice & ValidationSlice & RunSlice & PinSlice & InspectorSlice;
export type EditorStore = StoreApi<EditorState>;

export function createEditorStore(): EditorStore {
  return createStore<EditorState>()((...a) => ({
    ...createGraphSlice(...a),
    ...createHistorySlice(...a),
    ...createValidationSlice(...a),
    ...createRunSlice(...a),
    ...createPinSlice(...a),
    panel: 'settings',
    setPanel: (panel) => a[0]({ panel }),
    setAddFrom: (addFrom) => a[0]({ addFrom }),
  }));
}

/** The single selected node's id (the inspector shows it), or undefined for none or several. */
export function selectedNodeId(state: EditorState): string | undefined {
  let found: string | undefined;
  for (const n of state.nodes) {
    if (!n.selected) continue;
    if (found) return undefined;
    found = n.id;
  }
  return found;
}
