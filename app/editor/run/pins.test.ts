import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/store';
import { pinsForRun } from '../store/pin-slice';
import { readPins, runTakesPins, writePins } from './pins';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => { map.set(k, v); },
    removeItem: (k: string) => { map.delete(k); },
  };
}

describe('pinned outputs', () => {
  it('the store pins and unpins a node output by port', () => {
    const store = createEditorStore();
    store.getState().pinOutput('a', { main: { ok: true } });
    store.getState().pinOutput('b', { true: [1] });
    expect(store.getState().pins).toEqual({ a: { main: { ok: true } }, b: { true: [1] } });
    store.getState().unpin('a');
    expect(store.getState().pins).toEqual({ b: { true: [1] } });
  });

  it('a run sends only pins of nodes still in the flow, and nothing when there are none', () => {
    expect(pinsForRun({ a: { main: 1 }, gone: { main: 2 } }, ['a', 'c'])).toEqual({ a: { main: 1 } });
    expect(pinsForRun({ gone: { main: 2 } }, ['a'])).toBeUndefined();
  });

  it('pins are kept per flow in storage; junk reads as none; no pins removes the key', () => {
    const storage = memoryStorage();
    writePins(storage, 'f1', { a: { main: { x: 1 } } });
    expect(readPins(storage, 'f1')).toEqual({ a: { main: { x: 1 } } });
    expect(readPins(storage, 'f2')).toEqual({});
    storage.setItem('sy-pins:f3', '{not json');
    expect(readPins(storage, 'f3')).toEqual({});
    storage.setItem('sy-pins:f4', '{"a": 3, "b": {"main": 1}}');
    expect(readPins(storage, 'f4')).toEqual({ b: { main: 1 } });
    writePins(storage, 'f1', {});
    expect(storage.map.has('sy-pins:f1')).toBe(false);
  });

  it('detects server support from the run request schema in the OpenAPI document', () => {
    const doc = (props: Record<string, unknown>) => ({
      paths: { '/api/flows/{id}/run': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: props } } } } } } },
    });
    expect(runTakesPins(doc({ input: {}, priority: {} }))).toBe(false);
    expect(runTakesPins(doc({ input: {}, pinned: { type: 'object' } }))).toBe(true);
    expect(runTakesPins({
      paths: { '/api/flows/{id}/run': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/RunBody' } } } } } } },
      components: { schemas: { RunBody: { properties: { pinned: {} } } } },
    })).toBe(true);
    expect(runTakesPins(null)).toBe(false);
  });
});
