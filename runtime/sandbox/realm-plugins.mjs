// @ts-check
/**
 * Plugin support inside the hardened realm (see realm.mjs, which runs first and freezes everything).
 * Like realm.mjs it is injected with `Function.prototype.toString`, so it stays plain JavaScript with
 * no imports and no helpers from a transform.
 *
 * A plugin call never holds a host object. `ctx.http.request` only queues a JSON description of the
 * request in this closure and returns a promise; the host reads the queue (`pollPlugin`) after the
 * microtask checkpoint, has the worker perform the request, and settles the promise with JSON
 * (`deliverPlugin`). So there is no `Reference`, `Callback` or `ExternalCopy` for plugin code to keep,
 * and every capability check happens in the worker, outside the isolate.
 */

function pluginRealm(tools) {
  'use strict';
  const { describe, toJson, makeConsole } = tools;
  const { freeze, create } = Object;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const then = Promise.prototype.then;
  const { apply } = Reflect;
  const PromiseCtor = Promise;
  const FunctionCtor = Function;
  const MapCtor = Map;
  const Uint8ArrayCtor = Uint8Array;
  const StringCtor = String;
  const ErrorCtor = Error;
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

  /** Loaded plugins by id: node run functions by `type@version`. */
  const loaded = new MapCtor();
  let nextId = 1;
  /** The plugin call in progress (the host runs one at a time). */
  let call;

  function encode(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? B64[n & 63] : '=');
    }
    return out;
  }

  function decode(text) {
    const clean = text.replace(/=+$/, '');
    const bytes = new Uint8ArrayCtor(Math.floor((clean.length * 3) / 4));
    let bits = 0;
    let value = 0;
    let index = 0;
    for (let i = 0; i < clean.length; i++) {
      value = (value << 6) | B64.indexOf(clean[i]);
      bits += 6;
      if (bits >= 8) { bits -= 8; bytes[index++] = (value >> bits) & 255; }
    }
    return bytes;
  }

  /**
   * Evaluates a bundle (an esbuild iife that assigns `__switchyard_plugin`). `globalThis` and its
   * aliases are shadowed by a per-plugin object that inherits the frozen globals, so libraries that
   * cache things on the global (zod does) write to the plugin's own object, never to a shared one.
   * Returns `{ id, nodes }` as JSON, or an error message string.
   */
  function loadPlugin(source) {
    try {
      const shadow = create(globalThis);
      const factory = new FunctionCtor('globalThis', 'self', 'global', 'window',
        `${source}\n;return typeof __switchyard_plugin === "undefined" ? undefined : __switchyard_plugin;`);
      const exported = apply(factory, undefined, [shadow, shadow, shadow, shadow]);
      const plugin = exported && (exported.default ?? exported);
      const list = plugin && plugin.nodes;
      if (!list || typeof list.length !== 'number') return 'the bundle does not export definePlugin({ nodes: [...] }) as its default export';
      const nodes = new MapCtor();
      for (let i = 0; i < list.length; i++) {
        const node = list[i];
        if (!node || typeof node.type !== 'string' || typeof node.run !== 'function') return `node #${i} has no type or run function`;
        nodes.set(`${node.type}@${node.version}`, node);
      }
      const id = nextId++;
      loaded.set(id, nodes);
      return stringify({ id, nodes: [...nodes.keys()] });
    } catch (error) {
      return `the plugin failed to load: ${describe(error)}`;
    }
  }

  function refuse(what) {
    return () => { throw new ErrorCtor(`${what} is not available to plugin nodes`); };
  }

  function request(spec) {
    if (spec === null || typeof spec !== 'object') throw new ErrorCtor('ctx.http.request needs { url, method?, headers?, body? }');
    const body = spec.body;
    const wire = {
      id: call.nextRequest++,
      url: StringCtor(spec.url),
      method: StringCtor(spec.method ?? 'GET'),
      headers: parse(stringify(spec.headers ?? {})),
    };
    if (typeof body === 'string') wire.body = body;
    else if (body instanceof Uint8ArrayCtor) wire.bodyBase64 = encode(body);
    else if (body !== undefined && body !== null) throw new ErrorCtor('ctx.http.request: body must be a string or a Uint8Array');
    for (const key of ['timeoutMs', 'maxRedirects', 'maxBytes']) if (typeof spec[key] === 'number') wire[key] = spec[key];
    const current = call;
    current.outbox.push(wire);
    return new PromiseCtor((resolve, reject) => current.pending.set(wire.id, { resolve, reject }));
  }

  function response(reply) {
    let bytes;
    return freeze({
      status: reply.status,
      headers: freeze(reply.headers),
      url: reply.url,
      get body() { return (bytes ??= decode(reply.base64)); },
      text() { return reply.text; },
      json() { return parse(reply.text); },
    });
  }

  function log(level) {
    return (message, data) => {
      call.console.log(data === undefined ? `[${level}] ${StringCtor(message)}` : `[${level}] ${StringCtor(message)} ${stringify(data)}`);
    };
  }

  /** Starts `node` of plugin `id`; `input` is JSON `{ props, input, credentials, meta }`. */
  function runPlugin(id, node, input) {
    const nodes = loaded.get(id);
    const definition = nodes && nodes.get(node);
    const logs = [];
    call = { logs, console: makeConsole(logs), outbox: [], pending: new MapCtor(), nextRequest: 1, body: undefined };
    const record = call;
    if (!definition) {
      record.body = `"error":${stringify({ code: 'code_error', message: `the bundle has no node ${node}` })}`;
      return;
    }
    const data = parse(input);
    const meta = data.meta;
    const ctx = freeze({
      executionId: meta.executionId, flowId: meta.flowId, workspaceId: meta.workspaceId, nodeId: meta.nodeId,
      attempt: meta.attempt, idempotencyKey: meta.idempotencyKey,
      credentials: freeze(data.credentials),
      http: freeze({ request, fetch: request }),
      log: freeze({ debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }),
      // Timeouts are enforced by the host; a plugin cannot observe them, only be stopped by them.
      signal: freeze({ aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {}, throwIfAborted() {} }),
      wait: refuse('ctx.wait'),
      loop: refuse('ctx.loop'),
    });
    let promise;
    try {
      promise = PromiseCtor.resolve(definition.run(ctx, data.input, data.props));
    } catch (error) {
      promise = PromiseCtor.reject(error);
    }
    apply(then, promise, [
      (value) => {
        const json = toJson(value);
        record.body = typeof json === 'string' ? `"result":${json}` : `"error":${stringify(json)}`;
      },
      (error) => {
        const failure = { code: 'code_error', message: describe(error) };
        // A NodeError from the plugin's own copy of the SDK: keep its code and whether to retry.
        if (error !== null && typeof error === 'object') {
          if (typeof error.code === 'string' && /^[a-z0-9_]{1,64}$/.test(error.code)) failure.pluginCode = error.code;
          if (error.name === 'NonRetryableError' || error.name === 'StopError') failure.retryable = false;
          else if (error.name === 'NodeError') failure.retryable = true;
        }
        record.body = `"error":${stringify(failure)}`;
      },
    ]);
  }

  /**
   * After a microtask checkpoint: `{"logs":[…],"result":…}` / `{"logs":[…],"error":…}` when the call
   * settled, `{"http":[…]}` when it waits for requests, or undefined when nothing can ever settle it.
   */
  function pollPlugin() {
    if (call.body !== undefined) return `{"logs":${stringify(call.logs)},${call.body}}`;
    if (call.outbox.length > 0) {
      const out = call.outbox;
      call.outbox = [];
      return stringify({ http: out });
    }
    return call.pending.size > 0 ? '{"waiting":true}' : undefined;
  }

  /** Settles request `requestId` of the current call with the worker's JSON reply. */
  function deliverPlugin(requestId, reply) {
    const waiter = call.pending.get(requestId);
    if (!waiter) return;
    call.pending.delete(requestId);
    const data = parse(reply);
    if (data.ok) waiter.resolve(response(data));
    else {
      const error = new ErrorCtor(data.message);
      error.code = data.code;
      waiter.reject(error);
    }
  }

  function releasePlugin(id) {
    loaded.delete(id);
  }

  return { loadPlugin, runPlugin, pollPlugin, deliverPlugin, releasePlugin };
}

/** Source of a function that takes realm.mjs's tools and returns the plugin entry points. */
export const pluginRealmSource = pluginRealm.toString();
