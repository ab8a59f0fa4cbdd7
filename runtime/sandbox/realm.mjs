// @ts-check
/**
 * The script the sandbox host runs once in each fresh isolate context. It hardens the realm (so
 * nothing one execution does is visible to the next) and returns the few functions the host calls
 * through isolated-vm References. User code never sees these functions: they live in this closure,
 * not on globalThis, and every function here is strict so `fn.caller` is censored.
 *
 * This file is plain JavaScript on purpose: `realm` is injected with `Function.prototype.toString`,
 * and a TypeScript transform would add helpers (esbuild's `__name`) that do not exist in the isolate.
 */

import { pluginRealmSource } from './realm-plugins.mjs';

/** Log lines kept per call; later lines are dropped with one marker line. */
export const MAX_LOG_LINES = 100;
/** Characters kept per log line. */
export const MAX_LOG_LINE = 2048;

function realm(maxLines, maxLine) {
  'use strict';
  const g = globalThis;
  const { freeze, getPrototypeOf, defineProperty, getOwnPropertyDescriptor, getOwnPropertyDescriptors } = Object;
  const { apply, ownKeys } = Reflect;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const then = Promise.prototype.then;
  const isArray = Array.isArray;
  const StringCtor = String;
  const AsyncFunction = getPrototypeOf(async function () {}).constructor;
  const FunctionCtor = Function;
  const PromiseCtor = Promise;
  const NEEDS_ASYNC = /\bawait\b/;
  const MapCtor = Map;
  const CODE_PARAMS = ['$json', '$trigger', '$node', '$vars', '$execution', '$input', 'console'];
  const EXPR_PARAMS = ['$json', '$trigger', '$node', '$vars', '$execution', '$input'];

  // 1. Realm-wide mutable state and event sources that would outlive a call. RegExp's legacy statics
  //    ($1, lastMatch, …) hold the last match of *any* call — a data leak between executions.
  for (const key of ownKeys(RegExp)) {
    if (key !== 'length' && key !== 'name' && key !== 'prototype' && key !== Symbol.species) delete RegExp[key];
  }
  // Finalizers and wasm compile post tasks that could run during a later call; V8's console is inert here.
  for (const key of ['WeakRef', 'FinalizationRegistry', 'WebAssembly', 'console']) delete g[key];

  // 2. Override mistake: assigning `err.name = …` or `obj.toString = …` to an object whose prototype
  //    property is frozen throws. Turn these common ones into accessors that define an own property.
  function tame(proto, key) {
    const desc = getOwnPropertyDescriptor(proto, key);
    if (!desc || !('value' in desc) || !desc.configurable) return;
    const value = desc.value;
    defineProperty(proto, key, {
      get() { return value; },
      set(next) {
        if (this === proto) throw new TypeError(`Cannot assign to read only property '${StringCtor(key)}' of a frozen intrinsic`);
        defineProperty(this, key, { value: next, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable,
      configurable: false,
    });
  }
  for (const key of ['constructor', 'toString', 'valueOf', 'toLocaleString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']) {
    tame(Object.prototype, key);
  }
  for (const key of ['toString', 'constructor']) tame(Function.prototype, key);
  for (const E of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError]) {
    for (const key of ['name', 'message', 'constructor', 'toString']) tame(E.prototype, key);
  }

  // 3. Deep-freeze everything reachable from globalThis plus the intrinsics no global names.
  const hidden = [
    getPrototypeOf(async function () {}),
    getPrototypeOf(function* () {}),
    getPrototypeOf(async function* () {}),
    getPrototypeOf([][Symbol.iterator]()),
    getPrototypeOf(new Map()[Symbol.iterator]()),
    getPrototypeOf(new Set()[Symbol.iterator]()),
    getPrototypeOf(''[Symbol.iterator]()),
    getPrototypeOf(/x/[Symbol.matchAll]('')),
  ];
  if (typeof Intl === 'object' && typeof Intl.Segmenter === 'function') {
    const segments = new Intl.Segmenter().segment('');
    hidden.push(getPrototypeOf(segments), getPrototypeOf(segments[Symbol.iterator]()));
  }
  const seen = new Set();
  const queue = [g, ...hidden];
  while (queue.length > 0) {
    const item = queue.pop();
    if ((typeof item !== 'object' && typeof item !== 'function') || item === null || seen.has(item)) continue;
    seen.add(item);
    queue.push(getPrototypeOf(item));
    const descs = getOwnPropertyDescriptors(item);
    for (const key of ownKeys(descs)) {
      const desc = descs[key];
      if ('value' in desc) queue.push(desc.value);
      else queue.push(desc.get, desc.set);
    }
    freeze(item);
  }

  // 4. What the host calls.
  /** Compiled user functions by id; the host keeps the LRU and releases ids it evicts. */
  const compiled = new MapCtor();
  let nextId = 1;
  /** Outcome of the last runCode, read by collect() after the microtask checkpoint. */
  let outcome;
  /** Index of the expression being evaluated, so the host can name the one that timed out. */
  let current = -1;

  class NotJson { constructor(message) { this.message = message; } }

  function describe(error) {
    try {
      let text;
      if (error instanceof SyntaxError) text = `SyntaxError: ${error.message}`;
      else if (error !== null && typeof error === 'object' && 'message' in error) text = StringCtor(error.message);
      else if (typeof error === 'string') text = error;
      else text = stringify(error) ?? StringCtor(error);
      return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
    } catch {
      return 'an unprintable value was thrown';
    }
  }

  function replacer(key, value) {
    const type = typeof value;
    const where = key === '' ? 'as the value' : `at key "${key}"`;
    if (type === 'function' || type === 'symbol' || type === 'bigint') throw new NotJson(`a ${type} ${where}`);
    if (type === 'object' && value !== null && !isArray(value)) {
      if (value instanceof Promise) throw new NotJson(`a Promise ${where}`);
      if (value instanceof Map || value instanceof Set || value instanceof WeakMap || value instanceof WeakSet) {
        throw new NotJson(`a Map/Set ${where} (convert it to an object or array)`);
      }
    }
    return value;
  }

  /** JSON text of a result; undefined becomes null; NaN/Infinity become null as in JSON.stringify. */
  function toJson(value) {
    if (value === undefined) return 'null';
    try {
      return stringify(value, replacer) ?? 'null';
    } catch (error) {
      if (error instanceof NotJson) return { code: 'not_json', message: `result is not JSON: ${error.message}` };
      if (error instanceof TypeError && /circular/i.test(StringCtor(error.message))) {
        return { code: 'not_json', message: 'result is not JSON: it contains a circular reference' };
      }
      return { code: 'code_error', message: describe(error) };
    }
  }

  function format(value) {
    try {
      if (typeof value === 'string') return value;
      if (value instanceof Error) return `${value.name}: ${value.message}`;
      if (typeof value === 'object' && value !== null) return stringify(value) ?? StringCtor(value);
      return StringCtor(value);
    } catch {
      return '[unprintable]';
    }
  }

  function makeConsole(logs) {
    function log(...args) {
      if (logs.length > maxLines) return;
      if (logs.length === maxLines) { logs.push(`… more than ${maxLines} lines, the rest was dropped`); return; }
      let line = '';
      for (let i = 0; i < args.length; i++) {
        line += (i > 0 ? ' ' : '') + format(args[i]);
        if (line.length > maxLine) break;
      }
      logs.push(line.length > maxLine ? `${line.slice(0, maxLine)}…` : line);
    }
    return freeze({ log, info: log, warn: log, error: log, debug: log, trace: log });
  }

  function compile(kind, source) {
    try {
      // Code that never awaits runs as a plain function: its result is known when the call returns,
      // so runCode answers at once and the host skips collect(). Anything mentioning `await` keeps
      // the async body (and its rules) it was written for.
      const fn = kind === 'code'
        ? new (NEEDS_ASYNC.test(source) ? AsyncFunction : FunctionCtor)(...CODE_PARAMS, `"use strict";${source}`)
        : new FunctionCtor(...EXPR_PARAMS, `"use strict";return (${source}\n);`);
      const id = nextId++;
      compiled.set(id, fn);
      return id;
    } catch (error) {
      return describe(error);
    }
  }

  function release(id) {
    compiled.delete(id);
  }

  /** JSON text of a finished run: its log lines and `"result":…` or `"error":…`. */
  function payload(logs, body) {
    return `{"logs":${stringify(logs)},${body}}`;
  }

  function resultBody(value) {
    const json = toJson(value);
    return typeof json === 'string' ? `"result":${json}` : `"error":${stringify(json)}`;
  }

  function thrownBody(error) {
    return `"error":${stringify({ code: 'code_error', message: describe(error) })}`;
  }

  /**
   * Runs compiled code. Returns the payload when the outcome is known now (a plain function that
   * returned a non-thenable or threw); otherwise undefined, and collect() reads it after the
   * microtask checkpoint.
   */
  function runCode(id, input) {
    const fn = compiled.get(id);
    const data = parse(input);
    const logs = [];
    let result;
    try {
      result = fn(data.$json, data.$trigger, data.$node, data.$vars, data.$execution, data.$json, makeConsole(logs));
    } catch (error) {
      return payload(logs, thrownBody(error));
    }
    const thenable = result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function';
    if (!thenable) return payload(logs, resultBody(result));
    const record = { logs, body: undefined };
    outcome = record;
    // Adopt it as an async function would have: a foreign thenable is followed, not stored.
    const promise = new PromiseCtor((resolve) => resolve(result));
    apply(then, promise, [
      (value) => { record.body = resultBody(value); },
      (error) => { record.body = thrownBody(error); },
    ]);
  }

  /** The outcome of the last runCode once its microtasks ran; undefined means it can never settle. */
  function collect() {
    const record = outcome;
    outcome = undefined;
    if (record === undefined || record.body === undefined) return undefined;
    return payload(record.logs, record.body);
  }

  function evaluate(ids, input) {
    const data = parse(input);
    const out = [];
    const list = ids.split(',');
    for (let i = 0; i < list.length; i++) {
      current = i;
      const fn = compiled.get(+list[i]);
      let json;
      try {
        const value = fn(data.$json, data.$trigger, data.$node, data.$vars, data.$execution, data.$json);
        json = value instanceof Promise
          ? { code: 'not_json', message: 'result is not JSON: a Promise (expressions cannot await)' }
          : toJson(value);
      } catch (error) {
        json = { code: 'code_error', message: describe(error) };
      }
      out.push(typeof json === 'string' ? `{"value":${json}}` : `{"error":${stringify(json)}}`);
    }
    current = -1;
    return `[${out.join(',')}]`;
  }

  function running() {
    return current;
  }

  // `tools` is for realm-plugins.mjs, composed in the same bootstrap script; the host never reads it.
  return { compile, release, runCode, collect, evaluate, running, tools: { describe, toJson, makeConsole } };
}

/**
 * Source of the bootstrap script; its completion value is the object of host entry points: the
 * realm's own plus the plugin ones (realm-plugins.mjs), built after the realm is frozen.
 */
export const realmSource = `(() => { 'use strict';
  const entry = (${realm.toString()})(${MAX_LOG_LINES}, ${MAX_LOG_LINE});
  const plugins = (${pluginRealmSource})(entry.tools);
  return { ...entry, ...plugins, tools: undefined };
})()`;
