// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLiveExecution } from './useLiveExecution';

/** A stand-in EventSource the test drives by hand. */
class FakeEventSource {
  static CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = 1;
  onmessage: ((e: MessageEvent<string>) => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, (e: MessageEvent<string>) => void>();
  constructor(readonly url: string) { FakeEventSource.all.push(this); }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void) { this.listeners.set(type, fn); }
  close() { this.readyState = FakeEventSource.CLOSED; }
  emit(data: unknown, type?: string) {
    const e = new MessageEvent('message', { data: JSON.stringify(data) });
    if (type) this.listeners.get(type)?.(e);
    else this.onmessage?.(e);
  }
}

const base = { id: 'e1', flowId: 'f1', flowVersion: 1, mode: 'webhook', createdAt: '2024-01-01T00:00:00Z', startedAt: null, finishedAt: null, error: null, triggerInput: {}, result: null };
let served: Record<string, unknown>;
let fetches = 0;

beforeEach(() => {
  FakeEventSource.all = [];
  fetches = 0;
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal('fetch', vi.fn(async () => {
    fetches++;
    return new Response(JSON.stringify(served), { status: 200, headers: { 'content-type': 'application/json' } });
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

describe('useLiveExecution', () => {
  it('follows a running execution over SSE and re-reads it when steps finish and when it ends', async () => {
    served = { ...base, status: 'running', steps: [] };
    const { result } = renderHook(() => useLiveExecution('e1'));
    await waitFor(() => expect(result.current.record?.status).toBe('running'));
    expect(FakeEventSource.all).toHaveLength(1);
    const es = FakeEventSource.all[0]!;
    expect(es.url).toBe('/api/executions/e1/events');

    const step = { stepKey: 'a', nodeId: 'a', nodeType: 'core.set', status: 'succeeded', attempt: 1, input: {}, output: { main: { ok: 1 } }, error: null, startedAt: '', finishedAt: '', durationMs: 3 };
    served = { ...base, status: 'running', steps: [step] };
    const before = fetches;
    act(() => es.emit({ type: 'step', executionId: 'e1', stepKey: 'a', nodeId: 'a', status: 'succeeded' }));
    await waitFor(() => expect(result.current.record?.steps).toHaveLength(1));
    expect(fetches).toBe(before + 1);

    served = { ...base, status: 'succeeded', steps: [step] };
    act(() => es.emit({ type: 'status', executionId: 'e1', status: 'succeeded' }));
    // The status shows at once; the stream is closed.
    expect(result.current.record?.status).toBe('succeeded');
    expect(es.readyState).toBe(FakeEventSource.CLOSED);
    await waitFor(() => expect(fetches).toBe(before + 2));
  });

  it('a finished execution is read once and opens no stream', async () => {
    served = { ...base, status: 'failed', steps: [] };
    const { result } = renderHook(() => useLiveExecution('e1'));
    await waitFor(() => expect(result.current.record?.status).toBe('failed'));
    expect(FakeEventSource.all).toHaveLength(0);
    expect(fetches).toBe(1);
  });

  it('a snapshot from the stream replaces the record', async () => {
    served = { ...base, status: 'queued', steps: [] };
    const { result } = renderHook(() => useLiveExecution('e1'));
    await waitFor(() => expect(FakeEventSource.all).toHaveLength(1));
    act(() => FakeEventSource.all[0]!.emit({ ...base, status: 'running', steps: [] }, 'snapshot'));
    expect(result.current.record?.status).toBe('running');
  });
});
