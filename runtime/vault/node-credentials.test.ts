import { describe, expect, it } from 'vitest';
import type { CredentialValue } from '@switchyard/sdk';
import { NodeCredentialCache } from './node-credentials.js';

/** A vault stand-in that counts loads; `fields.token` is what the "database" holds now. */
function vault() {
  const stored = new Map<string, { workspaceId: string; token: string }>([['c1', { workspaceId: 'w1', token: 'one' }], ['c2', { workspaceId: 'w1', token: 'two' }]]);
  let version = 0;
  const loads: string[][] = [];
  let beforeAnswer: (() => void) | undefined;
  return {
    stored, loads,
    bump: () => { version++; },
    set beforeAnswer(fn: (() => void) | undefined) { beforeAnswer = fn; },
    options: {
      version: () => version,
      async load(workspaceId: string, ids: string[]) {
        loads.push([...ids]);
        const out = new Map<string, CredentialValue>();
        for (const id of ids) {
          const row = stored.get(id);
          if (row && row.workspaceId === workspaceId) out.set(id, { kind: 'k', fields: { token: row.token } });
        }
        beforeAnswer?.();
        return out;
      },
    },
  };
}

describe('NodeCredentialCache', () => {
  it('loads each credential once, then serves copies a run may change without touching the next run', async () => {
    const v = vault();
    const cache = new NodeCredentialCache(v.options);
    const first = await cache.load('w1', ['c1']);
    first.get('c1')!.fields.token = 'changed by a run';
    first.get('c1')!.id = 'c1';
    const both = await cache.load('w1', ['c1', 'c2']);
    expect(both.get('c1')).toEqual({ kind: 'k', fields: { token: 'one' } });
    expect(both.get('c2')).toEqual({ kind: 'k', fields: { token: 'two' } });
    expect(v.loads).toEqual([['c1'], ['c2']]);
    both.get('c2')!.fields.token = 'changed again';
    expect((await cache.load('w1', ['c2'])).get('c2')!.fields.token).toBe('two');
    expect(v.loads).toHaveLength(2);
  });

  it('loads again after an edit (forget), after the TTL, and for another workspace', async () => {
    const v = vault();
    const cache = new NodeCredentialCache({ ...v.options, ttlMs: 60 });
    await cache.load('w1', ['c1']);
    v.stored.set('c1', { workspaceId: 'w1', token: 'edited' });
    cache.forget('c1');
    expect((await cache.load('w1', ['c1'])).get('c1')!.fields.token).toBe('edited');
    // Another workspace never gets w1's cached value.
    expect((await cache.load('w2', ['c1'])).has('c1')).toBe(false);
    v.stored.set('c1', { workspaceId: 'w1', token: 'edited twice' });
    await new Promise((r) => setTimeout(r, 80));
    expect((await cache.load('w1', ['c1'])).get('c1')!.fields.token).toBe('edited twice');
    expect(v.loads).toEqual([['c1'], ['c1'], ['c1'], ['c1']]);
  });

  it('does not keep what a load returned when an edit was learnt while it ran', async () => {
    const v = vault();
    const cache = new NodeCredentialCache(v.options);
    // The edit is learnt between the query and its answer: that answer may predate it.
    v.beforeAnswer = () => { v.bump(); cache.forget('c1'); };
    expect((await cache.load('w1', ['c1'])).get('c1')!.fields.token).toBe('one');
    v.beforeAnswer = undefined;
    v.stored.set('c1', { workspaceId: 'w1', token: 'edited' });
    expect((await cache.load('w1', ['c1'])).get('c1')!.fields.token).toBe('edited');
    expect(v.loads).toHaveLength(2);
  });
});
