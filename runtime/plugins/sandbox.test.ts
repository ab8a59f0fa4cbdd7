import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonRetryableError, type AnyNodeDefinition, type CredentialValue, type Json, type NodeContext } from '@switchyard/sdk';
import type { PackedPlugin } from '@switchyard/sdk/manifest';
import { packPlugin } from '../../plugins/sdk/src/pack.js';
import { createHttpClient } from '../net/index.js';
import { createSandboxPool } from '../sandbox/index.js';
import { startLocalServer } from '../testing/harness.js';
import { createPluginNode } from './proxy.js';

const dir = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const pool = createSandboxPool({ timeoutMs: 300, memoryMb: 64 });
afterAll(() => pool.close());

let packed: PackedPlugin;
let node: AnyNodeDefinition;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let port = 0;

/** Resolves the declared names to wherever the test says; the guard must still judge the addresses. */
const resolver = async (host: string): Promise<string[]> => {
  if (host === 'api.example.test') return ['127.0.0.1'];
  if (host === 'sneaky.example.test') return ['169.254.169.254'];
  return ['203.0.113.9'];
};

function context(options: { allow?: string[]; credentials?: Record<string, CredentialValue> } = {}): NodeContext {
  const logs: string[] = [];
  return {
    executionId: 'e1', flowId: 'f1', workspaceId: 'default', nodeId: 'n1', attempt: 1, idempotencyKey: 'k1',
    credentials: options.credentials ?? {},
    http: createHttpClient({ allow: options.allow ?? [], resolve: resolver }),
    log: { debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    signal: new AbortController().signal,
    wait: () => { throw new Error('no'); },
    loop: () => { throw new Error('no'); },
  } as NodeContext;
}

async function attack(name: string, input: Json = {}, ctx = context()): Promise<unknown> {
  try {
    return await node.run(ctx, input, { attack: name });
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error), code: (error as { code?: string }).code, retryable: !(error instanceof NonRetryableError) };
  }
}

beforeAll(async () => {
  server = await startLocalServer((req, _body, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization ?? null }));
  });
  port = Number(new URL(server.url).port);
  packed = await packPlugin(dir('hostile'));
  const manifestNode = packed.manifest.nodes[0];
  if (!manifestNode) throw new Error('fixture has no node');
  node = createPluginNode({ ...packed, approved: packed.manifest.permissions }, manifestNode, {
    pool: () => pool,
    // The limit must leave a loaded machine time to fill 64 MB: at 300 ms the memory bomb was cut by
    // the clock first (sandbox_timeout) when both cores were busy. Loops still stop at the limit.
    cpuMs: 2_000,
  });
}, 60_000);

describe('hostile plugins are contained', () => {
  it('refuses a host the plugin did not declare', async () => {
    const out = await attack('fetch', { url: `http://evil.example.test:${port}/x` });
    expect(out).toMatchObject({ failed: expect.stringMatching(/may not reach evil\.example\.test: it is not among the hosts it declared/) });
  });

  it('applies the outbound guard to a declared name that resolves to loopback or metadata', async () => {
    expect(await attack('fetch', { url: `http://api.example.test:${port}/a` })).toMatchObject({ failed: expect.stringMatching(/127\.0\.0\.1/) });
    expect(await attack('fetch', { url: 'http://sneaky.example.test/latest/meta-data' })).toMatchObject({ failed: expect.stringMatching(/169\.254\.169\.254/) });
    expect(server.hits.size).toBe(0);
  });

  it('reaches a declared host once the operator allows its address', async () => {
    const out = await attack('fetch', { url: `http://api.example.test:${port}/ok` }, context({ allow: ['127.0.0.1'] }));
    expect(out).toEqual({ main: { status: 200, text: JSON.stringify({ path: '/ok', auth: null }) } });
  });

  it('stops an infinite loop, a microtask loop and a promise that never settles', async () => {
    expect(await attack('loop')).toMatchObject({ code: 'sandbox_timeout', retryable: false, failed: expect.stringMatching(/^plugin hostile@1\.0\.0: timed out/) });
    expect(await attack('asyncLoop')).toMatchObject({ code: 'sandbox_timeout' });
    expect(await attack('never')).toMatchObject({ code: 'sandbox_timeout', failed: expect.stringMatching(/never finished/) });
  });

  it('stops a memory bomb and the next call runs in a fresh realm', async () => {
    expect(await attack('memory')).toMatchObject({ code: 'sandbox_memory', failed: expect.stringMatching(/out of memory/) });
    expect(await attack('probe')).toEqual({ main: { polluted: null, stash: null, json: 1, push: true } });
  });

  it('cannot tamper with intrinsics or stash state for the next execution', async () => {
    // Bundles are sloppy-mode code, so writes to the frozen intrinsics are silently ignored rather than thrown.
    expect(await attack('tamper')).toMatchObject({ main: { results: expect.any(Array) } });
    expect(await attack('probe')).toEqual({ main: { polluted: null, stash: 'kept', json: 1, push: true } });
    // The stash lives on the plugin's own global object; other plugins and Code nodes never see it.
    expect((await pool.runCode({ cacheKey: 'probe', source: 'return [({}).polluted ?? null, globalThis.stash ?? null]', data: { $json: null, $trigger: null, $node: {}, $vars: {}, $execution: { id: 'e', flowId: 'f', mode: 'test', resumeUrl: 'http://127.0.0.1/hooks/resume/t' } } })).result).toEqual([null, null]);
  });

  it('reaches nothing of the host process', async () => {
    expect(await attack('escape')).toEqual({ main: { process: 'undefined', require: 'undefined', ctor: 'undefinedundefined', fnThis: 'undefined', ctxHttp: 0 } });
  });

  it('sees only declared credential slots of approved kinds', async () => {
    const bearer = { kind: 'http-bearer', fields: { token: 's3cret' } };
    expect(await attack('credentials', {}, context({ credentials: { auth: bearer, other: { kind: 'http-basic', fields: { password: 'p' } } } })))
      .toEqual({ main: { slots: ['auth'], token: 's3cret' } });
    // A credential of a kind the slot does not accept is withheld.
    expect(await attack('credentials', {}, context({ credentials: { auth: { kind: 'http-basic', fields: { password: 'p' } } } })))
      .toEqual({ main: { slots: [], token: null } });
  });

  it('reports what the plugin threw as a retryable step error', async () => {
    expect(await attack('throws')).toMatchObject({ failed: 'plugin hostile@1.0.0: plugin exploded on purpose', code: 'plugin_error', retryable: true });
  });

  it('refuses a bundle whose hash does not match', async () => {
    const tampered = createPluginNode(
      { ...packed, bundle: `${packed.bundle}\n/* changed */`, integrity: packed.integrity.replace(/^sha256-./, 'sha256-A'), approved: packed.manifest.permissions },
      packed.manifest.nodes[0]!, { pool: () => pool },
    );
    await expect(tampered.run(context(), {}, { attack: 'probe' })).rejects.toMatchObject({ code: 'plugin_integrity' });
  });

  it('refuses a node the bundle does not define (a manifest that lies)', async () => {
    const liar = createPluginNode({ ...packed, approved: packed.manifest.permissions }, { ...packed.manifest.nodes[0]!, type: 'hostile.other' }, { pool: () => pool });
    await expect(liar.run(context(), {}, { attack: 'probe' })).rejects.toMatchObject({ code: 'plugin_load', message: expect.stringMatching(/does not define hostile\.other@1/) });
  });
});
