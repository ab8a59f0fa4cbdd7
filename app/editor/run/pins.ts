import { useEffect, useState } from 'react';
import { isRecord } from '../form/schema';
import { api } from '../api';
import { useEditorStore } from '../store/context';
import type { PinnedOutput } from '../store/pin-slice';

const KEY = 'sy-pins:';

/** Pins saved in this browser for a flow; anything unreadable counts as none. */
export function readPins(storage: Pick<Storage, 'getItem'>, flowId: string): Record<string, PinnedOutput> {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY + flowId) ?? '{}');
    const pins: Record<string, PinnedOutput> = {};
    if (isRecord(parsed)) for (const [id, output] of Object.entries(parsed)) if (isRecord(output)) pins[id] = output as PinnedOutput;
    return pins;
  } catch {
    return {};
  }
}

export function writePins(storage: Pick<Storage, 'setItem' | 'removeItem'>, flowId: string, pins: Record<string, PinnedOutput>): void {
  if (Object.keys(pins).length === 0) storage.removeItem(KEY + flowId);
  else storage.setItem(KEY + flowId, JSON.stringify(pins));
}

/**
 * Keeps the store's pins in localStorage under the flow's id: loaded when the flow opens, written
 * on every change. Pins made before a new flow's first save move to its id.
 */
export function usePinStorage(flowId: string | undefined): void {
  const store = useEditorStore();
  useEffect(() => {
    if (!flowId) return;
    const saved = readPins(window.localStorage, flowId);
    if (Object.keys(saved).length > 0 || Object.keys(store.getState().pins).length === 0) store.getState().setPins(saved);
    else writePins(window.localStorage, flowId, store.getState().pins);
    return store.subscribe((state, previous) => {
      if (state.pins !== previous.pins) writePins(window.localStorage, flowId, state.pins);
    });
  }, [flowId, store]);
}

/** Whether the run request schema (from the API's OpenAPI document) has a `pinned` field. */
export function runTakesPins(openapi: unknown): boolean {
  if (!isRecord(openapi) || !isRecord(openapi.paths)) return false;
  const op = openapi.paths['/api/flows/{id}/run'];
  let text = JSON.stringify(isRecord(op) ? op.post ?? null : null);
  const ref = /"#\/components\/schemas\/([^"]+)"/.exec(text)?.[1];
  if (ref && isRecord(openapi.components) && isRecord(openapi.components.schemas)) text += JSON.stringify(openapi.components.schemas[ref] ?? null);
  return text.includes('"pinned"');
}

let support: Promise<boolean> | undefined;

/** Whether this server reuses pinned outputs in test runs (read once per page load). */
export function usePinSupport(): boolean | undefined {
  const [value, setValue] = useState<boolean>();
  useEffect(() => {
    support ??= api('/openapi.json').then(runTakesPins, () => false);
    let live = true;
    void support.then((v) => { if (live) setValue(v); });
    return () => { live = false; };
  }, []);
  return value;
}
