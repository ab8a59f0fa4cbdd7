// @ts-check
/**
 * Sandbox host: a child process of a worker that owns one isolated-vm isolate. It must be started
 * with `node --no-node-snapshot` (isolated-vm's requirement on Node ≥ 20); `createSandboxPool` does.
 * Plain JavaScript, not TypeScript: it starts in about half the time without a loader.
 *
 * It serves requests from the pool strictly one at a time, synchronously (`applySync`): the isolate
 * runs one task at a time anyway, a sync call costs a few µs instead of ~25 µs for an async one, and
 * it lets the pool know that replies come back in request order — so only the oldest unanswered
 * request can be the one running.
 *
 * Protocol (advanced serialisation, see protocol.ts): arrays of requests `{ id, op: 'code', key, source,
 * input, timeoutMs }` and `{ id, op: 'eval', expressions, input, timeoutMs }`; arrays of replies
 * `{ id, ok: true, payload }` (payload is JSON text built inside the isolate) or
 * `{ id, ok: false, code, message, index? }`, in request order. First message: `{ type: 'ready', ms }`.
 */
import { createRequire } from 'node:module';
import { createPluginRunner } from './host-plugins.mjs';
import { realmSource } from './realm.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('isolated-vm')} */
const ivm = require('isolated-vm');

/** Isolate heap limit, from the pool. Default: 128 MB. */
const memoryMb = Number(process.env.SWITCHYARD_SANDBOX_MEMORY_MB) || 128;
/** Compiled functions kept per isolate (code sources + expressions). Default: 500. */
const cacheSize = Number(process.env.SWITCHYARD_SANDBOX_CACHE) || 500;
/** Budget for hardening a fresh realm and for compiling one source. */
const SETUP_TIMEOUT_MS = 5000;

/**
 * @typedef {'compile'|'release'|'runCode'|'collect'|'evaluate'|'running'|'loadPlugin'|'runPlugin'|'pollPlugin'|'deliverPlugin'|'releasePlugin'} EntryName
 * @typedef {{ isolate: import('isolated-vm').Isolate, context: import('isolated-vm').Context,
 *   fn: Record<EntryName, import('isolated-vm').Reference<Function>>,
 *   cache: Map<string, { source: string, id: number }>,
 *   plugins: Map<string, { id: number, nodes: Set<string> }> }} Realm
 */

/** @returns {Realm} */
function createRealm() {
  const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
  const context = isolate.createContextSync();
  const entry = isolate.compileScriptSync(realmSource).runSync(context, { reference: true, timeout: SETUP_TIMEOUT_MS });
  /** @param {EntryName} name */
  const get = (name) => entry.getSync(name, { reference: true });
  const fn = {
    compile: get('compile'), release: get('release'), runCode: get('runCode'),
    collect: get('collect'), evaluate: get('evaluate'), running: get('running'),
    loadPlugin: get('loadPlugin'), runPlugin: get('runPlugin'), pollPlugin: get('pollPlugin'),
    deliverPlugin: get('deliverPlugin'), releasePlugin: get('releasePlugin'),
  };
  entry.release();
  return { isolate, context, fn, cache: new Map(), plugins: new Map() };
}

let realm = createRealm();

class CallError extends Error {
  /** @param {string} code @param {string} message @param {number} [index] */
  constructor(code, message, index) {
    super(message);
    this.code = code;
    this.index = index;
  }
}

/** Compiled function id for a source, or a CallError for a syntax error. LRU by Map order. */
function compiled(/** @type {'code'|'expr'} */ kind, /** @type {string} */ key, /** @type {string} */ source) {
  const hit = realm.cache.get(key);
  if (hit && hit.source === source) {
    realm.cache.delete(key);
    realm.cache.set(key, hit);
    return hit.id;
  }
  const id = realm.fn.compile.applySync(undefined, [kind, source], { timeout: SETUP_TIMEOUT_MS });
  if (typeof id === 'string') return new CallError('code_error', id);
  if (hit) realm.fn.release.applySync(undefined, [hit.id]);
  realm.cache.delete(key);
  realm.cache.set(key, { source, id });
  while (realm.cache.size > cacheSize) {
    const [oldKey, oldest] = /** @type {[string, { id: number }]} */ (realm.cache.entries().next().value);
    realm.cache.delete(oldKey);
    realm.fn.release.applySync(undefined, [oldest.id]);
  }
  return id;
}

/** @param {any} request @returns {string} */
function runCode(request) {
  const id = compiled('code', `c:${request.key}`, request.source);
  if (id instanceof CallError) throw id;
  const direct = realm.fn.runCode.applySync(undefined, [id, request.input], { timeout: request.timeoutMs });
  // Code that did not await answers at once; only async code needs the second call and its timer
  // (isolated-vm's timer thread wakes at every timed call's deadline, even when the call ended long before).
  if (typeof direct === 'string') return direct;
  const payload = realm.fn.collect.applySync(undefined, [], { timeout: SETUP_TIMEOUT_MS });
  if (typeof payload !== 'string') {
    // Nothing in the isolate can resolve a promise later (no timers, no host callbacks), so a
    // promise still pending after the microtask checkpoint will never settle.
    throw new CallError('sandbox_timeout', 'never finished: the code awaits a promise that nothing can ever settle (the sandbox has no timers or I/O)');
  }
  return payload;
}

/** @param {any} request @returns {string} */
function evaluate(request) {
  /** @type {string[]} */
  const ids = [];
  /** @type {Map<number, CallError>} */
  const syntaxErrors = new Map();
  request.expressions.forEach((/** @type {string} */ expression, /** @type {number} */ index) => {
    const id = compiled('expr', `e:${expression}`, expression);
    if (id instanceof CallError) syntaxErrors.set(index, id);
    ids.push(id instanceof CallError ? '0' : String(id));
  });
  let payload = '[]';
  try {
    payload = realm.fn.evaluate.applySync(undefined, [ids.join(','), request.input], { timeout: request.timeoutMs });
  } catch (error) {
    // Name the expression that was running when the batch was stopped.
    const index = realm.isolate.isDisposed ? -1 : realm.fn.running.applySync(undefined, []);
    const failure = classify(error, request);
    throw new CallError(failure.code, failure.message, index >= 0 ? index : undefined);
  }
  if (syntaxErrors.size === 0) return payload;
  const items = JSON.parse(payload);
  for (const [index, error] of syntaxErrors) items[index] = { error: { code: error.code, message: error.message } };
  return JSON.stringify(items);
}

/** @param {any} request @returns {object} */
function handle(request) {
  try {
    const payload = request.op === 'code' ? runCode(request) : evaluate(request);
    return { id: request.id, ok: true, payload };
  } catch (error) {
    return { id: request.id, ok: false, ...classify(error, request) };
  }
}

/** @param {unknown} error @param {any} request */
function classify(error, request) {
  if (realm.isolate.isDisposed) {
    // isolated-vm disposes an isolate that hits its heap limit; start over with a fresh one.
    try { realm.context.release(); } catch { /* already gone with the isolate */ }
    realm = createRealm();
    return { code: 'sandbox_memory', message: `out of memory: used more than the ${memoryMb} MB sandbox limit and was stopped` };
  }
  if (error instanceof CallError) return { code: error.code, message: error.message, index: error.index };
  const message = error instanceof Error ? error.message : String(error);
  if (/timed out/i.test(message)) {
    return { code: 'sandbox_timeout', message: `timed out: ran longer than the ${request.timeoutMs} ms CPU limit and was stopped` };
  }
  return { code: 'code_error', message };
}

/** Replies are sent in batches too, but never held longer than this: the pool's guard times them. */
const FLUSH_MS = 2;

const plugins = createPluginRunner({
  realm: () => realm, CallError, classify, setupTimeoutMs: SETUP_TIMEOUT_MS,
  send: (message) => process.send?.(message),
});

/** Requests not yet handled. Plugin calls may await the worker; later requests wait behind them. */
/** @type {any[]} */
const queue = [];
let draining = false;

async function drain() {
  if (draining) return;
  draining = true;
  /** @type {object[]} */
  let replies = [];
  let flushedAt = performance.now();
  /**
   * Sends the replies so far and resolves once they are written. A reply larger than the pipe's
   * buffer is written by the event loop, which a synchronous run through the queue would never
   * reach: 20 queued calls answering 3.5 MB each kept the first answer unsent for 4 s, so the
   * worker's guard killed this process and every queued call failed.
   */
  const flush = () => new Promise((resolve) => {
    flushedAt = performance.now();
    if (replies.length === 0 || !process.send) return resolve(undefined);
    const batch = replies;
    replies = [];
    process.send(batch, () => resolve(undefined));
  });
  while (queue.length > 0) {
    const request = queue.shift();
    if (request.op === 'plugin') {
      // Replies go out in request order; send what is done before waiting on the worker.
      await flush();
      replies.push(await plugins.handle(request));
    } else {
      replies.push(handle(request));
    }
    if (performance.now() - flushedAt >= FLUSH_MS) await flush();
  }
  draining = false;
  // Not awaited: a request that arrives meanwhile starts its own drain.
  void flush();
}

process.on('message', (/** @type {any} */ message) => {
  if (!Array.isArray(message)) {
    plugins.onMessage(message);
    return;
  }
  queue.push(...message);
  void drain();
});
// The worker that owns us is gone (or closed the pool): nothing else may keep this process alive.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', ms: Math.round(performance.now()) });
