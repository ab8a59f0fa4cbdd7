// @vitest-environment happy-dom
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebhookListen, type ListenProps } from './WebhookListen';

afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

function props(overrides: Partial<ListenProps> = {}): ListenProps {
  return {
    url: 'http://localhost:3000/hooks/orders',
    active: true,
    activate: vi.fn(async () => {}),
    prepare: vi.fn(async () => 'f1'),
    onExecution: vi.fn(),
    ...overrides,
  };
}

/** `fetch` answering the execution list with these newest ids, one per call (the last repeats). */
function stubExecutions(ids: (string | undefined)[]) {
  const urls: string[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    urls.push(url);
    const id = ids.length > 1 ? ids.shift() : ids[0];
    return new Response(JSON.stringify(id ? [{ id }] : []), { status: 200, headers: { 'content-type': 'application/json' } });
  }));
  return urls;
}

describe('WebhookListen', () => {
  it('shows the URL to call; an inactive flow says so and offers to activate it', () => {
    const p = props({ active: false });
    render(createElement(WebhookListen, p));
    expect(screen.getByRole('textbox', { name: 'Send a request to this address' })).toHaveProperty('value', 'http://localhost:3000/hooks/orders');
    expect(screen.getByRole('status').textContent).toMatch(/must be active/);
    expect(screen.getByRole('button', { name: 'Listen for a test call' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Activate the flow' }));
    expect(p.activate).toHaveBeenCalledOnce();
  });

  it('waits for an execution newer than the one before listening and hands its id over', async () => {
    const urls = stubExecutions(['old', 'old', 'new']);
    const p = props();
    render(createElement(WebhookListen, p));
    fireEvent.click(screen.getByRole('button', { name: 'Listen for a test call' }));
    await screen.findByText(/^Listening…/);
    expect(p.prepare).toHaveBeenCalledOnce();
    await waitFor(() => expect(p.onExecution).toHaveBeenCalledWith('new'), { timeout: 5000 });
    expect(p.onExecution).toHaveBeenCalledOnce();
    expect(urls[0]).toBe('/api/executions?flowId=f1&limit=1');
    expect(screen.queryByText(/^Listening…/)).toBeNull();
  });

  it('stopping stops polling and hands nothing over', async () => {
    stubExecutions([undefined]);
    const p = props();
    render(createElement(WebhookListen, p));
    fireEvent.click(screen.getByRole('button', { name: 'Listen for a test call' }));
    await screen.findByText(/^Listening…/);
    fireEvent.click(screen.getByRole('button', { name: 'Stop listening' }));
    expect(screen.getByRole('button', { name: 'Listen for a test call' })).toBeTruthy();
    const calls = vi.mocked(fetch).mock.calls.length;
    await new Promise((r) => setTimeout(r, 1300));
    expect(vi.mocked(fetch).mock.calls.length).toBe(calls);
    expect(p.onExecution).not.toHaveBeenCalled();
  });
});
