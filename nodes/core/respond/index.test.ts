import { describe, expect, it } from 'vitest';
import { createTestContext, runNode } from '../../testing.js';
import respond from './index.js';

describe('core.respond', () => {
  it('sends the response and passes the input on', async () => {
    const ctx = createTestContext();
    const result = await runNode(respond, { a: 1 }, {
      status: 201, headers: [{ name: 'X-Id', value: '7' }], body: { ok: true },
    }, ctx);
    expect(result).toEqual({ main: { a: 1 } });
    expect(ctx.responses).toEqual([{ status: 201, headers: { 'X-Id': '7' }, body: { ok: true } }]);
  });

  it('lets a later header override an earlier one of any case', async () => {
    const ctx = createTestContext();
    await runNode(respond, null, {
      headers: [{ name: 'content-type', value: 'text/plain' }, { name: 'Content-Type', value: 'application/json' }], body: 'x',
    }, ctx);
    expect(ctx.responses[0]?.headers).toEqual({ 'Content-Type': 'application/json' });
  });

  it('defaults to 200 with the incoming message as body', () => {
    expect(respond.props.parse({})).toEqual({ status: 200, headers: [], body: '{{ $json }}' });
  });

  it('answers with the incoming message when body was left out and its default arrived unresolved', async () => {
    const ctx = createTestContext();
    await runNode(respond, { ok: 1 }, {}, ctx);
    expect(ctx.responses).toEqual([{ status: 200, headers: {}, body: { ok: 1 } }]);
  });

  it('rejects bad statuses and header injection', () => {
    expect(respond.props.safeParse({ status: 99 }).success).toBe(false);
    expect(respond.props.safeParse({ status: 600 }).success).toBe(false);
    expect(respond.props.safeParse({ headers: [{ name: 'Bad Name', value: 'x' }] }).success).toBe(false);
    expect(respond.props.safeParse({ headers: [{ name: 'X', value: 'a\r\nSet-Cookie: y' }] }).success).toBe(false);
  });

  it('refuses what Node would refuse after the flow ran: 1xx statuses and header values it cannot send', () => {
    for (const status of [100, 101, 199]) expect(respond.props.safeParse({ status }).success, String(status)).toBe(false);
    expect(respond.props.safeParse({ status: 200 }).success).toBe(true);
    for (const value of ['smile 😀', 'bell \u0007', 'nul \u0000']) {
      expect(respond.props.safeParse({ headers: [{ name: 'X', value }] }).success, value).toBe(false);
    }
    expect(respond.props.safeParse({ headers: [{ name: 'X', value: 'Grüße\tà la carte' }] }).success).toBe(true);
  });
});
