import type { StateCreator } from 'zustand';
import type { EditorState } from './store';
import type { EditorEdge, EditorNode } from './types';
import type { FlowDocument } from '../../../runtime/flow/document.js';

/** What undo restores: the graph and its credential slots, never selection or run state. */
interface Snapshot {
  name: string;
  nodes: EditorNode[];
  edges: EditorEdge[];
  credentials: FlowDocument['credentials'];
}

export interface HistorySlice {
  past: Snapshot[];
  future: Snapshot[];
  /** Key and time of the last coalescing checkpoint (typing in one field is one undo step). */
  lastCoalesce?: { key: string; at: number };
  /** Records the current graph before an edit. Calls with the same key within 1.5 s share one step. */
  checkpoint(coalesceKey?: string): void;
  undo(): void;
  redo(): void;
}

const LIMIT = 200;
const COALESCE_MS = 1500;

function unselected<T extends { selected?: boolean }>(items: T[]): T[] {
  return items.map((item) => (item.selected ? { ...item, selected: false } : item));
}

export const createHistorySlice: StateCreator<EditorState, [], [], HistorySlice> = (set, get) => {
  const snapshot = (): Snapshot => {
    const { name, nodes, edges, credentials } = get();
    return { name, nodes, edges, credentials };
  };
  const restore = (s: Snapshot) => {
    // Restored items come back unselected: a stale selection would point the inspector at a ghost.
    set({ name: s.name, nodes: unselected(s.nodes), edges: unselected(s.edges), credentials: s.credentials, dirty: true, lastCoalesce: undefined });
  };
  return {
    past: [],
    future: [],
    checkpoint(coalesceKey) {
      const now = Date.now();
      const last = get().lastCoalesce;
      if (coalesceKey && last && last.key === coalesceKey && now - last.at < COALESCE_MS) {
        set({ lastCoalesce: { key: coalesceKey, at: now } });
        return;
      }
      set({ past: [...get().past, snapshot()].slice(-LIMIT), future: [], lastCoalesce: coalesceKey ? { key: coalesceKey, at: now } : undefined });
    },
    undo() {
      const past = get().past;
      const previous = past[past.length - 1];
      if (!previous || get().readOnly) return;
      set({ past: past.slice(0, -1), future: [snapshot(), ...get().future] });
      restore(previous);
    },
    redo() {
      const [next, ...rest] = get().future;
      if (!next || get().readOnly) return;
      set({ past: [...get().past, snapshot()], future: rest });
      restore(next);
    },
  };
};
