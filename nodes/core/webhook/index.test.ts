import { describe, expect, it } from 'vitest';
import { runNode } from '../../testing.js';
import webhook from './index.js';

describe('core.webhook', () => {
  it('passes the request on', async () => {
    const request = { body: { id: 1 }, query: { a: '1' }, headers: { 'content-type': 'application/json' }, method: 'POST', path: 'orders/new' };
    expect(await runNode(webhook, request, { path: 'orders/new' })).toEqual({ main: request });
  });

  it('defaults to POST and answering with the last node', () => {
    expect(webhook.props.parse({ path: 'dm' })).toEqual({ path: 'dm', method: 'POST', respond: 'lastNode' });
  });

  it.each(['orders/new', 'a', 'v1/hooks_x/evt-1', 'file.json'])('accepts path %s', (path) => {
    expect(webhook.props.safeParse({ path }).success).toBe(true);
  });

  it.each(['', '/orders', 'orders/', 'a//b', '../etc', 'a/./b', 'has space', 'ünïcode', 'a?b=1'])('rejects path %j', (path) => {
    expect(webhook.props.safeParse({ path }).success).toBe(false);
  });

  it('rejects unknown methods and respond modes', () => {
    expect(webhook.props.safeParse({ path: 'x', method: 'HEAD' }).success).toBe(false);
    expect(webhook.props.safeParse({ path: 'x', respond: 'later' }).success).toBe(false);
  });

  it('declares an optional HMAC signature slot and literal trigger props', () => {
    expect(webhook.credentials).toEqual({ signature: { kind: 'hmac-secret', optional: true, title: 'Signature secret (HMAC)' } });
    expect(webhook.literalProps).toContain('path');
    expect(webhook.trigger).toEqual({ kind: 'webhook' });
    expect(webhook.ports.in).toEqual([]);
  });
});
