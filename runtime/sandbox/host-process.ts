import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SandboxError } from './errors.js';
import { isReady, wallBudgetMs, type HostMessage, type HostReply, type HostRequest, type HttpReplyMessage, type PluginHttpRequest } from './protocol.js';

const HOST_SCRIPT = fileURLToPath(new URL('./host.mjs', import.meta.url));

/**
 * Wall-clock time a call may take past its CPU limit before the pool gives up on its host and kills
 * it. isolated-vm's own timeout stops loops and microtask loops; this guard is for what it cannot
 * see (a host wedged in native code, a lost message).
 */
export const GUARD_MARGIN_MS = 1000;

/**
 * A guard that fires this much after it was due found this process's own event loop blocked (a
 * large result being parsed, say): the host's answer may be waiting unread in the pipe, since timers
 * run before I/O is read. It looks again after {@link GUARD_RECHECK_MS} instead of killing.
 */
const GUARD_LAG_TOLERANCE_MS = 100;
/** How long a guard that fired late waits for pending answers to be read before it decides. */
const GUARD_RECHECK_MS = 250;

/** A host that has not reported ready by then is killed (its calls go to another host, once). */
export const STARTUP_TIMEOUT_MS = 15_000;

/** A call waiting for, or running in, a host. */
export interface PendingCall {
  request: HostRequest;
  resolve(reply: HostReply): void;
  reject(error: SandboxError): void;
  /** Hosts this call has been handed to; a call orphaned by a dying host is handed on at most once. */
  attempts: number;
  /** Plugin calls: the bundle, attached the first time a host gets this integrity. */
  bundle?: string;
  /** Plugin calls: performs one HTTP request for the plugin in the worker; resolves to reply JSON text. */
  onHttp?: (request: PluginHttpRequest) => Promise<string>;
}

export interface HostExit {
  /** Human-readable, for `onRestart` and logs. */
  reason: string;
  /** The host had finished starting; a host that dies during startup is not "replaced". */
  wasReady: boolean;
  /** The pool asked for it (close). */
  expected: boolean;
  /** Calls that had not started in this host: safe to run elsewhere (sandboxed code has no effects). */
  orphans: PendingCall[];
}

export interface HostProcessOptions {
  /** Isolate heap limit in MB. */
  memoryMb: number;
  /** Called once, when the process is gone. */
  onExit(host: HostProcess, exit: HostExit): void;
}

/**
 * One sandbox host child process and the calls queued on it. The host answers in request order,
 * so the oldest in-flight call is the one running: it alone is timed by the guard and blamed when
 * the process dies; later ones never started and are handed back to the pool.
 */
export class HostProcess {
  readonly child: ChildProcess;
  /** Process start → isolate ready, as the host measured it; undefined until ready. */
  readyMs: number | undefined;
  private ready = false;
  private exited = false;
  private closing = false;
  private timedOut: PendingCall | undefined;
  private outbox: PendingCall[] = [];
  private flushQueued = false;
  private readonly inflight = new Map<number, PendingCall>();
  private guard: NodeJS.Timeout | undefined;
  private guarded: PendingCall | undefined;
  private readonly exitedPromise: Promise<void>;
  /** Integrities of the plugin bundles this process has been sent (it keeps them; see host-plugins.mjs). */
  private readonly bundlesSent = new Set<string>();

  constructor(private readonly options: HostProcessOptions) {
    this.child = fork(HOST_SCRIPT, [], {
      execArgv: ['--no-node-snapshot'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // A minimal environment: nothing of the worker's (database URL, encryption key) is in reach
      // of the process that runs untrusted code, should an isolate ever be escaped.
      env: { PATH: process.env.PATH ?? '', NODE_ENV: process.env.NODE_ENV, SWITCHYARD_SANDBOX_MEMORY_MB: String(options.memoryMb) },
    });
    // Never keep the worker alive on our account (see updateRef).
    this.child.unref();
    this.child.channel?.unref();
    this.exitedPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.onExit(code, signal);
        resolve();
      });
    });
    this.child.on('message', (message: HostMessage) => this.onMessage(message));
    // A failed spawn or send is followed by 'exit', which settles every call; nothing more to do here.
    this.child.on('error', () => {});
    const startup = setTimeout(() => { if (!this.ready) this.child.kill('SIGKILL'); }, STARTUP_TIMEOUT_MS);
    startup.unref();
  }

  /** Calls queued or running here: the pool sends new calls to the least busy host. */
  get load(): number {
    return this.outbox.length + this.inflight.size;
  }

  get alive(): boolean {
    return !this.exited;
  }

  submit(call: PendingCall): void {
    this.outbox.push(call);
    this.updateRef();
    if (this.ready) this.scheduleFlush();
  }

  /** Kills the process; pending calls fail with `sandbox_crashed`. */
  async close(): Promise<void> {
    this.closing = true;
    if (!this.exited) {
      // Ref'd until it is gone: an idle host is unref'd, and the 'exit' we wait for would be lost.
      this.child.ref();
      this.child.kill('SIGKILL');
    }
    await this.exitedPromise;
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // Every call made in this tick goes in one IPC message: per-message cost dominates small calls.
    queueMicrotask(() => {
      this.flushQueued = false;
      if (this.exited || this.outbox.length === 0) return;
      const batch = this.outbox;
      this.outbox = [];
      for (const call of batch) this.inflight.set(call.request.id, call);
      this.child.send(batch.map((call) => this.wire(call)), (error) => {
        // The channel closed under us: 'exit' follows and settles these calls.
        void error;
      });
      this.armGuard();
    });
  }

  /** The request as sent: a plugin call carries its bundle the first time this host sees it. */
  private wire(call: PendingCall): HostRequest {
    const request = call.request;
    if (request.op !== 'plugin' || call.bundle === undefined || this.bundlesSent.has(request.integrity)) return request;
    this.bundlesSent.add(request.integrity);
    return { ...request, bundle: call.bundle };
  }

  /** A plugin call asks for an HTTP request; the worker performs it and the reply goes back as JSON. */
  private onHttp(callId: number, request: PluginHttpRequest): void {
    const call = this.inflight.get(callId);
    const perform = call?.onHttp;
    const reply = perform
      ? perform(request).catch((error: unknown) => JSON.stringify({ ok: false, code: 'http_error', message: error instanceof Error ? error.message : String(error) }))
      : Promise.resolve(JSON.stringify({ ok: false, code: 'http_refused', message: 'this call may not make HTTP requests' }));
    void reply.then((text) => {
      if (this.exited) return;
      const message: HttpReplyMessage = { type: 'http-reply', callId, requestId: request.id, reply: text };
      this.child.send(message, () => {});
    });
  }

  private onMessage(message: HostMessage): void {
    if (!Array.isArray(message) && message.type === 'http') {
      this.onHttp(message.callId, message.request);
      return;
    }
    if (isReady(message)) {
      this.ready = true;
      this.readyMs = message.ms;
      if (this.outbox.length > 0) this.scheduleFlush();
      return;
    }
    const answered: Array<[PendingCall, HostReply]> = [];
    for (const reply of message) {
      const call = this.inflight.get(reply.id);
      if (!call) continue;
      this.inflight.delete(reply.id);
      answered.push([call, reply]);
    }
    this.armGuard();
    this.updateRef();
    for (const [call, reply] of answered) call.resolve(reply);
  }

  private armGuard(): void {
    const head = this.inflight.values().next().value;
    if (head === this.guarded) return;
    clearTimeout(this.guard);
    this.guarded = head;
    if (!head) return;
    this.startGuard(head, wallBudgetMs(head.request) + GUARD_MARGIN_MS);
  }

  private startGuard(call: PendingCall, ms: number): void {
    const dueAt = performance.now() + ms;
    this.guard = setTimeout(() => this.onStuck(call, dueAt), ms);
    this.guard.unref();
  }

  private onStuck(call: PendingCall, dueAt: number): void {
    if (this.exited || !this.inflight.has(call.request.id)) return;
    if (performance.now() - dueAt > GUARD_LAG_TOLERANCE_MS) {
      this.startGuard(call, GUARD_RECHECK_MS);
      return;
    }
    this.inflight.delete(call.request.id);
    this.timedOut = call;
    call.reject(new SandboxError('sandbox_timeout',
      `timed out: no answer within ${wallBudgetMs(call.request) + GUARD_MARGIN_MS} ms; its sandbox host was killed and replaced`));
    this.child.kill('SIGKILL');
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    clearTimeout(this.guard);
    const wasReady = this.ready;
    const pending = [...this.inflight.values()];
    this.inflight.clear();
    const orphans = [...pending, ...this.outbox];
    this.outbox = [];
    let reason: string;
    if (this.closing) reason = 'the sandbox pool was closed';
    else if (this.timedOut) reason = 'a call did not finish within its limit';
    else if (!wasReady) reason = `the sandbox host failed to start (${signal ?? `exit code ${code}`})`;
    else reason = `the sandbox host process died (${signal ?? `exit code ${code}`})`;
    // Only the oldest in-flight call can have been running when the process died.
    const running = wasReady && !this.closing && !this.timedOut ? pending[0] : undefined;
    if (running) {
      orphans.shift();
      running.reject(new SandboxError('sandbox_crashed', `crashed: ${reason} while running this call`));
    }
    this.options.onExit(this, { reason, wasReady, expected: this.closing, orphans });
  }

  /**
   * Keep the worker alive only while calls are pending here — and then both the channel and the
   * process handle: with only the channel ref'd, a killed host's 'exit' event could be lost when
   * the loop runs dry after the channel closes, leaving its calls unsettled.
   */
  private updateRef(): void {
    const channel = this.child.channel;
    if (this.exited) return;
    if (this.load > 0) {
      this.child.ref();
      channel?.ref();
    } else {
      this.child.unref();
      channel?.unref();
    }
  }
}
