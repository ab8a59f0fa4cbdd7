// @ts-check
/**
 * Plugin calls in a sandbox host (host.mjs). Unlike Code and expression calls they may wait for the
 * worker: `ctx.http.request` inside the isolate only queues a JSON request (realm-plugins.mjs); this
 * runner hands it to the worker over IPC (`{ type: 'http', callId, request }`), waits for
 * `{ type: 'http-reply', callId, requestId, reply }`, and settles the in-isolate promise with it.
 *
 * Bundles are kept by integrity. A bundle arrives once per host process (the pool tracks what it
 * sent), its sha256 is checked here before it is ever compiled, and it is compiled once per realm —
 * again only if the realm was replaced after an out-of-memory.
 */
import { createHash } from 'node:crypto';

/** Bundles kept per host; the least recently used ones beyond this are dropped (and re-sent). */
const MAX_BUNDLES = 50;

/**
 * @param {{
 *   realm: () => any,
 *   CallError: new (code: string, message: string) => Error,
 *   classify: (error: unknown, request: any) => { code: string, message: string },
 *   setupTimeoutMs: number,
 *   send: (message: object) => void,
 * }} deps
 */
export function createPluginRunner(deps) {
  const { CallError } = deps;
  /** @type {Map<string, string>} bundle source by integrity */
  const bundles = new Map();
  /** @type {Map<string, (reply: string) => void>} waiting requests by `callId:requestId` */
  const waiting = new Map();

  /** @param {any} request */
  function bundleFor(request) {
    if (typeof request.bundle === 'string') {
      const digest = `sha256-${createHash('sha256').update(request.bundle).digest('base64')}`;
      if (digest !== request.integrity) {
        throw new CallError('plugin_integrity', `the plugin bundle does not match its integrity hash (expected ${request.integrity}, got ${digest}); it was not loaded`);
      }
      bundles.delete(request.integrity);
      bundles.set(request.integrity, request.bundle);
      while (bundles.size > MAX_BUNDLES) bundles.delete(/** @type {string} */ (bundles.keys().next().value));
    }
    const source = bundles.get(request.integrity);
    if (source === undefined) throw new CallError('plugin_missing', 'this sandbox host does not have the plugin bundle');
    return source;
  }

  /** Compiled plugin id in the current realm. @param {any} request */
  function compiledPlugin(request) {
    const realm = deps.realm();
    const known = realm.plugins.get(request.integrity);
    if (known) return known;
    const source = bundleFor(request);
    const loaded = realm.fn.loadPlugin.applySync(undefined, [source], { timeout: deps.setupTimeoutMs });
    if (!loaded.startsWith('{')) throw new CallError('plugin_load', loaded);
    const { id, nodes } = JSON.parse(loaded);
    const entry = { id, nodes: new Set(nodes) };
    realm.plugins.set(request.integrity, entry);
    return entry;
  }

  /** A message from the pool for a plugin call; true when it was one. @param {any} message */
  function onMessage(message) {
    if (message?.type !== 'http-reply') return false;
    const key = `${message.callId}:${message.requestId}`;
    const resolve = waiting.get(key);
    waiting.delete(key);
    resolve?.(message.reply);
    return true;
  }

  /**
   * Runs one plugin call to the end. CPU time spent in the isolate is summed over the slices
   * (start, each delivery) and limited to `timeoutMs`; time waiting for HTTP is not CPU time — the
   * pool's wall-clock guard (`wallMs`) covers it.
   * @param {any} request @returns {Promise<string>}
   */
  async function run(request) {
    let budget = request.timeoutMs;
    /** @param {() => any} slice */
    const timed = (slice) => {
      if (budget <= 0) throw new Error('timed out');
      const started = performance.now();
      try {
        return slice();
      } finally {
        budget -= performance.now() - started;
      }
    };
    const plugin = compiledPlugin(request);
    // An empty node name asks what the bundle defines (the installer compares it with the manifest).
    if (request.node === '') return JSON.stringify({ nodes: [...plugin.nodes] });
    if (!plugin.nodes.has(request.node)) {
      throw new CallError('plugin_load', `the bundle does not define ${request.node} (it defines ${[...plugin.nodes].join(', ') || 'no nodes'})`);
    }
    const fn = deps.realm().fn;
    timed(() => fn.runPlugin.applySync(undefined, [plugin.id, request.node, request.input], { timeout: Math.max(1, Math.ceil(budget)) }));
    for (;;) {
      const state = fn.pollPlugin.applySync(undefined, [], { timeout: deps.setupTimeoutMs });
      if (state === undefined) {
        throw new CallError('sandbox_timeout', 'never finished: the node awaits a promise that nothing can ever settle');
      }
      if (!state.startsWith('{"http"') && !state.startsWith('{"waiting"')) return state;
      const parsed = JSON.parse(state);
      if (!parsed.http) throw new CallError('sandbox_crashed', 'a plugin call lost track of its HTTP requests');
      const replies = await Promise.all(parsed.http.map((/** @type {any} */ wire) => new Promise((resolve) => {
        waiting.set(`${request.id}:${wire.id}`, resolve);
        deps.send({ type: 'http', callId: request.id, request: wire });
      }).then((reply) => [wire.id, reply])));
      for (const [requestId, reply] of replies) {
        timed(() => fn.deliverPlugin.applySync(undefined, [requestId, reply], { timeout: Math.max(1, Math.ceil(budget)) }));
      }
    }
  }

  /** @param {any} request */
  async function handle(request) {
    try {
      return { id: request.id, ok: true, payload: await run(request) };
    } catch (error) {
      return { id: request.id, ok: false, ...deps.classify(error, request) };
    }
  }

  return { handle, onMessage };
}
