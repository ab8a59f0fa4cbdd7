import type { Json } from '@switchyard/sdk';
import { SandboxError, sandboxErrorCode } from './errors.js';
import { HostProcess, type PendingCall } from './host-process.js';
import type { HostReply, HostRequest, PluginHttpReply, PluginHttpRequest } from './protocol.js';

export { SandboxError, type SandboxErrorCode } from './errors.js';

/** What expressions and Code nodes see. Credentials are never part of it. */
export interface ExpressionData {
  $json: Json;
  $trigger: Json;
  $node: Record<string, { json: Json }>;
  $vars: Record<string, string>;
  $execution: { id: string; flowId: string; mode: string; resumeUrl: string };
}

export interface SandboxPoolOptions {
  /** Sandbox host processes, started lazily as calls need them. Default: 1. */
  hosts?: number;
  /** CPU limit per call unless the call sets its own. Default: 1000 ms. */
  timeoutMs?: number;
  /** Heap limit of each host's isolate. Default: 128 MB. */
  memoryMb?: number;
  /** Called each time a host process died (crash, kill, stuck call) and was replaced. Default: none. */
  onRestart?: (reason: string) => void;
}

/** What a plugin node call gets: JSON only. Credentials are those of its declared slots, already filtered. */
export interface PluginCallData {
  props: Json;
  input: Json;
  credentials: Record<string, { kind: string; fields: Record<string, string> }>;
  meta: { executionId: string; flowId: string; workspaceId: string; nodeId: string; attempt: number; idempotencyKey: string };
}

export interface PluginCallRequest {
  /** The bundle and its `sha256-<base64>` integrity; the host checks the one against the other. */
  plugin: { integrity: string; bundle: string };
  /** `type@version` of the node in the bundle. */
  node: string;
  data: PluginCallData;
  /** CPU time in the isolate. Default: the pool's `timeoutMs`. */
  timeoutMs?: number;
  /** Wall-clock time including HTTP waits, after which the host is killed. Default: 30 000 ms. */
  wallMs?: number;
  /** Performs a request the plugin made; all permission checks live here, in the worker. Default: refuse. */
  http?: (request: PluginHttpRequest) => Promise<PluginHttpReply>;
}

/** A plugin call that ran: its result, or the error the plugin's own code threw (with its code and retryability). */
export type PluginOutcome =
  | { ok: true; result: Json; logs: string[] }
  | { ok: false; code: string; message: string; retryable: boolean; logs: string[] };

/** The outcome of one expression of {@link SandboxPool.evaluateMany}. */
export type EvaluateOutcome = { ok: true; value: Json } | { ok: false; error: SandboxError };

export interface SandboxPool {
  /**
   * Code node: `source` is an async function body with $json, $trigger, $node, $vars, $execution
   * (and `$input` = $json) and a `console` in scope; its return value (must be JSON-serialisable;
   * undefined → null, NaN/Infinity → null as in JSON) is the result. `logs` holds what it printed
   * (at most 100 lines of 2 KB). `cacheKey` names the compiled function in each host (e.g. flow
   * version + node id); a different source under the same key is recompiled.
   */
  runCode(request: { cacheKey: string; source: string; data: ExpressionData; timeoutMs?: number }): Promise<{ result: Json; logs: string[] }>;
  /** One JavaScript expression (the inside of `{{ … }}`) evaluated against data. */
  evaluate(request: { expression: string; data: ExpressionData; timeoutMs?: number }): Promise<Json>;
  /**
   * Several expressions against the same data in one round trip; each gets its own outcome. The
   * CPU limit covers the whole batch. When the batch as a whole is stopped (timeout, memory, crash)
   * the promise rejects, with `expressionIndex` naming the culprit when known.
   */
  evaluateMany(request: { expressions: readonly string[]; data: ExpressionData; timeoutMs?: number }): Promise<EvaluateOutcome[]>;
  /**
   * Runs a plugin node in the sandbox. Resolves with the plugin's result or the error its code threw;
   * rejects with a {@link SandboxError} when the sandbox stopped it (CPU, memory, crash, integrity).
   */
  runPlugin(request: PluginCallRequest): Promise<PluginOutcome>;
  /** Loads a bundle (checking its integrity) and lists the `type@version` of the nodes it defines. */
  describePlugin(plugin: { integrity: string; bundle: string }): Promise<string[]>;
  /** Host processes replaced so far (for the `sandbox_restarts` metric). */
  readonly restarts: number;
  /** Process ids of the running hosts (diagnostics and tests). */
  hostPids(): number[];
  /** Kills every host; later calls fail with `sandbox_crashed`. */
  close(): Promise<void>;
}

type CodePayload = { logs: string[]; result: Json } | { logs: string[]; error: { code: string; message: string } };
type PluginPayload = { logs: string[]; result: Json } | { logs: string[]; error: { code: string; message: string; pluginCode?: string; retryable?: boolean } };
type EvalPayload = Array<{ value: Json } | { error: { code: string; message: string } }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestBody = WithoutId<HostRequest>;

/** Calls handed to a host that died before they started get one more host. */
const MAX_ATTEMPTS = 2;

export function createSandboxPool(options: SandboxPoolOptions = {}): SandboxPool {
  const size = Math.max(1, Math.floor(options.hosts ?? 1));
  const defaultTimeoutMs = options.timeoutMs ?? 1000;
  const memoryMb = options.memoryMb ?? 128;
  const slots: (HostProcess | undefined)[] = Array.from({ length: size }, () => undefined);
  let restarts = 0;
  let closed = false;
  let nextId = 1;

  function spawn(slot: number): HostProcess {
    const host = new HostProcess({
      memoryMb,
      onExit(gone, exit) {
        if (slots[slot] === gone) slots[slot] = undefined;
        if (closed || exit.expected) {
          for (const call of exit.orphans) call.reject(new SandboxError('sandbox_crashed', 'the sandbox pool was closed'));
          return;
        }
        if (exit.wasReady) {
          restarts += 1;
          options.onRestart?.(exit.reason);
          // Start the replacement now so the next call does not pay for its startup.
          if (!slots[slot]) spawn(slot);
        }
        for (const call of exit.orphans) route(call, exit.reason);
      },
    });
    slots[slot] = host;
    return host;
  }

  /** The least busy host, starting another one (up to `hosts`) rather than queueing behind a busy one. */
  function pick(): HostProcess {
    let best: HostProcess | undefined;
    let empty = -1;
    slots.forEach((host, index) => {
      if (!host || !host.alive) {
        if (empty < 0) empty = index;
      } else if (!best || host.load < best.load) {
        best = host;
      }
    });
    if (best && (best.load === 0 || empty < 0)) return best;
    return spawn(empty < 0 ? 0 : empty);
  }

  function route(call: PendingCall, lastFailure?: string): void {
    if (closed) {
      call.reject(new SandboxError('sandbox_crashed', 'the sandbox pool was closed'));
    } else if (call.attempts >= MAX_ATTEMPTS) {
      call.reject(new SandboxError('sandbox_crashed', `crashed: ${lastFailure ?? 'no sandbox host could run this call'}`));
    } else {
      call.attempts += 1;
      pick().submit(call);
    }
  }

  function send(body: RequestBody, extra: Pick<PendingCall, 'bundle' | 'onHttp'> = {}): Promise<HostReply> {
    return new Promise((resolve, reject) => {
      const request: HostRequest = { ...body, id: nextId++ };
      route({ request, resolve, reject, attempts: 0, ...extra });
    });
  }

  function limit(timeoutMs: number | undefined): number {
    const value = timeoutMs ?? defaultTimeoutMs;
    return Number.isFinite(value) && value > 0 ? Math.ceil(value) : defaultTimeoutMs;
  }

  function failure(reply: HostReply & { ok: false }): SandboxError {
    return new SandboxError(sandboxErrorCode(reply.code), reply.message, { expressionIndex: reply.index });
  }

  const pool: SandboxPool = {
    async runCode({ cacheKey, source, data, timeoutMs }) {
      const reply = await send({ op: 'code', key: cacheKey, source, input: serializeData(data, source), timeoutMs: limit(timeoutMs) });
      if (!reply.ok) throw failure(reply);
      const payload: CodePayload = JSON.parse(reply.payload);
      if ('error' in payload) throw new SandboxError(sandboxErrorCode(payload.error.code), payload.error.message, { logs: payload.logs });
      return { result: payload.result, logs: payload.logs };
    },

    async evaluateMany({ expressions, data, timeoutMs }) {
      if (expressions.length === 0) return [];
      const reply = await send({ op: 'eval', expressions: [...expressions], input: serializeData(data, expressions.join('\n')), timeoutMs: limit(timeoutMs) });
      if (!reply.ok) throw failure(reply);
      const payload: EvalPayload = JSON.parse(reply.payload);
      return payload.map((item): EvaluateOutcome => ('error' in item
        ? { ok: false, error: new SandboxError(sandboxErrorCode(item.error.code), item.error.message) }
        : { ok: true, value: item.value }));
    },

    async evaluate({ expression, data, timeoutMs }) {
      const [outcome] = await pool.evaluateMany({ expressions: [expression], data, timeoutMs });
      if (!outcome) throw new SandboxError('sandbox_crashed', 'the sandbox host returned no result');
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },

    async runPlugin({ plugin, node, data, timeoutMs, wallMs, http }) {
      const onHttp = async (request: PluginHttpRequest): Promise<string> => JSON.stringify(http
        ? await http(request)
        : { ok: false, code: 'http_refused', message: 'this plugin node may not make HTTP requests' });
      const reply = await send(
        { op: 'plugin', integrity: plugin.integrity, node, input: JSON.stringify(data), timeoutMs: limit(timeoutMs), wallMs: wallMs ?? 30_000 },
        { bundle: plugin.bundle, onHttp },
      );
      if (!reply.ok) throw failure(reply);
      const payload: PluginPayload = JSON.parse(reply.payload);
      if (!('error' in payload)) return { ok: true, result: payload.result, logs: payload.logs };
      const error = payload.error;
      // Only what the plugin threw itself is the plugin's error; a bad result is the sandbox's verdict.
      if (error.code !== 'code_error') throw new SandboxError(sandboxErrorCode(error.code), error.message, { logs: payload.logs });
      return { ok: false, code: error.pluginCode ?? 'plugin_error', message: error.message, retryable: error.retryable ?? true, logs: payload.logs };
    },

    async describePlugin(plugin) {
      const reply = await send(
        { op: 'plugin', integrity: plugin.integrity, node: '', input: '{}', timeoutMs: limit(undefined), wallMs: limit(undefined) },
        { bundle: plugin.bundle },
      );
      if (!reply.ok) throw failure(reply);
      const payload: { nodes: string[] } = JSON.parse(reply.payload);
      return payload.nodes;
    },

    get restarts() {
      return restarts;
    },

    hostPids() {
      return slots.flatMap((host) => (host?.alive && host.child.pid !== undefined ? [host.child.pid] : []));
    },

    async close() {
      closed = true;
      await Promise.all(slots.map((host) => host?.close()));
    },
  };
  return pool;
}

/**
 * What a source can name, besides `$json`: only these are large enough to matter. A source that
 * could reach a parameter without naming it (`arguments[2]`, `eval("$no" + "de")`) gets everything.
 */
const NAMES_TRIGGER = /\$trigger|arguments|eval/;
const NAMES_NODE = /\$node|arguments|eval/;

/**
 * The call's data as JSON, without `$trigger` and `$node` when the source never names them. They
 * hold the trigger's payload and every earlier node's output, so sending them to every call made
 * each step of a flow carrying an 800 KB payload serialize (and the isolate parse) megabytes it
 * never looked at. `$node` is built on first read, so leaving it out also skips building it.
 */
function serializeData(data: ExpressionData, source: string): string {
  return JSON.stringify({
    $json: data.$json,
    $trigger: NAMES_TRIGGER.test(source) ? data.$trigger : null,
    $node: NAMES_NODE.test(source) ? data.$node : {},
    $vars: data.$vars,
    $execution: data.$execution,
  });
}
