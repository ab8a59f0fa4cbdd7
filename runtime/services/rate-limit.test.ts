import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('allows `limit` hits per window and frees slots as hits age out', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 1000, now: () => t });
    expect(limiter.consume('a')).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    t = 100;
    limiter.consume('a');
    t = 200;
    expect(limiter.consume('a').remaining).toBe(0);
    t = 300;
    expect(limiter.consume('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    expect(limiter.check('b').allowed).toBe(true);
    t = 1001; // the first hit (t=0) left the window
    expect(limiter.consume('a').allowed).toBe(true);
    expect(limiter.consume('a').allowed).toBe(false);
  });

  it('record counts unconditionally, reset forgets', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => t });
    limiter.record('k');
    limiter.record('k');
    limiter.record('k');
    const refused = limiter.check('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(60);
    t = 30_000;
    expect(limiter.check('k').retryAfterSeconds).toBe(30);
    limiter.reset('k');
    expect(limiter.check('k').allowed).toBe(true);
  });

  it('forgets the least recently touched keys beyond maxKeys', () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd']) limiter.record(key);
    expect(limiter.size()).toBe(3);
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.check('d').allowed).toBe(false);
  });

  it('drops keys whose hits all expired', () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 1, windowMs: 10, now: () => t });
    limiter.record('x');
    t = 50;
    limiter.check('x');
    expect(limiter.size()).toBe(0);
  });
});
