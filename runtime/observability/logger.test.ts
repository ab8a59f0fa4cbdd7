import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, stepLogger } from './logger.js';

/** Collects the JSON lines a logger writes. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; raw: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return {
    stream,
    raw: () => text,
    lines: () => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON at the configured level with the base fields', () => {
    const out = capture();
    const log = createLogger({ logLevel: 'info' }, { service: 'worker' }, out.stream);
    log.debug('hidden');
    log.info({ count: 2 }, 'shown');
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'shown', count: 2, service: 'worker', pid: process.pid });
    expect(typeof lines[0]?.time).toBe('string');
  });

  it('never prints secrets under known keys, at any depth or spelling', () => {
    const out = capture();
    const log = createLogger({ logLevel: 'debug' }, {}, out.stream);
    log.info({
      password: 'SECRET-pw-1',
      req: { headers: { authorization: 'Bearer SECRET-tok-2', 'x-api-key': 'SECRET-key-3', accept: 'application/json' } },
      headers: { Authorization: 'Basic SECRET-basic-4' },
      deep: { a: { b: { client_secret: 'SECRET-cs-5', API_KEY: 'SECRET-ak-6' } } },
      token: 'SECRET-token-7',
      user: 'alice',
    }, 'calling provider');
    const raw = out.raw();
    expect(raw).not.toMatch(/SECRET-/);
    const [line] = out.lines();
    expect(line).toMatchObject({
      password: '[redacted]',
      user: 'alice',
      req: { headers: { authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'application/json' } },
      deep: { a: { b: { client_secret: '[redacted]', API_KEY: '[redacted]' } } },
    });
  });

  it('keeps errors intact for the err serializer', () => {
    const out = capture();
    createLogger({ logLevel: 'info' }, {}, out.stream).error({ err: new Error('boom') }, 'failed');
    const [line] = out.lines();
    expect(line?.err).toMatchObject({ type: 'Error', message: 'boom' });
    expect(String((line?.err as { stack?: string }).stack)).toContain('logger.test.ts');
  });

  it('gives step loggers the execution and node ids on every line', () => {
    const out = capture();
    const step = stepLogger(createLogger({ logLevel: 'info' }, {}, out.stream), { executionId: 'ex-1', nodeId: 'http' });
    step.info('one');
    step.child({ attempt: 2 }).warn({ token: 'SECRET-child' }, 'two');
    const lines = out.lines();
    expect(lines.map((l) => [l.executionId, l.nodeId])).toEqual([['ex-1', 'http'], ['ex-1', 'http']]);
    expect(lines[1]).toMatchObject({ attempt: 2, token: '[redacted]' });
  });

  it('is silent at level silent', () => {
    const out = capture();
    createLogger({ logLevel: 'silent' }, {}, out.stream).error('nothing');
    expect(out.raw()).toBe('');
  });
});
