// @vitest-environment happy-dom
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { ChannelTestListen } from './ChannelTestListen';

afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

/** `fetch` as the server answers: the listen, then the given states one poll at a time (the last repeats). */
function stubServer(states: object[]) {
  const calls: { url: string; method: string; body?: string }[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    calls.push({ url, method: init.method ?? 'GET', body: typeof init.body === 'string' ? init.body : undefined });
    const body = init.method === 'POST'
      ? { listenId: '5f0b8a8e-0a3c-4c55-9a3e-2b8f3f1f6d11', credentialId: 'acct-1', expiresAt: new Date(Date.now() + 120_000).toISOString() }
      : (states.length > 1 ? states.shift() : states[0]);
    return new Response(JSON.stringify(body), { status: init.method === 'POST' ? 201 : 200, headers: { 'content-type': 'application/json' } });
  }));
  return calls;
}

it('saves, listens on the trigger, and hands over the test run the next event started', async () => {
  const calls = stubServer([{ status: 'listening' }, { status: 'received', executionId: 'exec-9' }]);
  const prepare = vi.fn(async () => 'flow-1');
  const onExecution = vi.fn();
  render(createElement(ChannelTestListen, { nodeId: 'trigger', prepare, onExecution }));
  fireEvent.click(screen.getByRole('button', { name: 'Listen for a test event' }));
  await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/Listening/));
  expect(prepare).toHaveBeenCalledOnce();
  expect(calls[0]).toEqual({ url: '/api/flows/flow-1/test-listen', method: 'POST', body: JSON.stringify({ nodeId: 'trigger' }) });
  await waitFor(() => expect(onExecution).toHaveBeenCalledWith('exec-9'), { timeout: 5_000 });
  expect(calls.slice(1).every((c) => c.url === '/api/flows/flow-1/test-listen/5f0b8a8e-0a3c-4c55-9a3e-2b8f3f1f6d11')).toBe(true);
  expect(screen.getByRole('button', { name: 'Listen for a test event' })).toBeTruthy();
});

it('says so when no event came before the listener expired', async () => {
  stubServer([{ status: 'expired' }]);
  render(createElement(ChannelTestListen, { nodeId: 'trigger', prepare: async () => 'flow-1', onExecution: vi.fn() }));
  fireEvent.click(screen.getByRole('button', { name: 'Listen for a test event' }));
  await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/No matching event arrived/), { timeout: 5_000 });
  expect(screen.getByRole('button', { name: 'Listen again' })).toBeTruthy();
});

it('does not listen when the flow could not be saved', async () => {
  const calls = stubServer([{ status: 'listening' }]);
  render(createElement(ChannelTestListen, { nodeId: 'trigger', prepare: async () => undefined, onExecution: vi.fn() }));
  fireEvent.click(screen.getByRole('button', { name: 'Listen for a test event' }));
  await waitFor(() => expect(screen.getByRole('button', { name: 'Listen for a test event' })).toHaveProperty('disabled', false));
  expect(calls).toEqual([]);
});
