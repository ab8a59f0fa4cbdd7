import type { StateCreator } from 'zustand';
import type { Json } from '@switchyard/sdk';
import type { EditorState } from './store';

/** A pinned output: what the node sent on each port (`{ main: … }`, `{ true: … }`), as a step records it. */
export type PinnedOutput = Record<string, Json>;

/**
 * Pinned node outputs of the open flow. They are not part of the flow document (its schema has no
 * place for them): the editor keeps them per flow in this browser and sends them with test runs.
 */
export interface PinSlice {
  pins: Record<string, PinnedOutput>;
  pinOutput(nodeId: string, output: PinnedOutput): void;
  unpin(nodeId: string): void;
  setPins(pins: Record<string, PinnedOutput>): void;
}

export const createPinSlice: StateCreator<EditorState, [], [], PinSlice> = (set, get) => ({
  pins: {},
  pinOutput(nodeId, output) {
    set({ pins: { ...get().pins, [nodeId]: output } });
  },
  unpin(nodeId) {
    const { [nodeId]: _gone, ...rest } = get().pins;
    set({ pins: rest });
  },
  setPins(pins) {
    set({ pins });
  },
});

/** The pins to send with a run: only nodes still in the flow; undefined when there are none. */
export function pinsForRun(pins: Record<string, PinnedOutput>, nodeIds: Iterable<string>): Record<string, PinnedOutput> | undefined {
  const out: Record<string, PinnedOutput> = {};
  for (const id of nodeIds) if (pins[id]) out[id] = pins[id];
  return Object.keys(out).length > 0 ? out : undefined;
}
