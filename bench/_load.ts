// A small closed-loop HTTP/1.1 load generator: N keep-alive connections on raw sockets, each sending
// its next request as soon as the previous answer is complete (no pipelining). Raw sockets instead of
// node:http keep the generator's own CPU low — on a 2-core machine it shares the cores with the system
// under test, so every microsecond it spends is one the product does not get. It records every
// latency, checks every response, and counts its own CPU so the report can say how much it took.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  host: string;
  port: number;
  method?: string;
  path: string;
  connections: number;
  /** Stop after this many requests in total… */
  maxRequests: number;
  /** …or after this many seconds, whichever comes first. */
  maxSeconds: number;
  /** Request body for request number i (JSON is sent as application/json). */
  body: (i: number) => string;
  /** Extra headers for request number i, given its body (a provider's signature). Default: none. */
  headers?: (i: number, body: string) => Record<string, string>;
  /** Whether the response to request i is right; a string is the reason it is not. */
  check: (response: RawResponse, i: number) => true | string;
  requestTimeoutMs?: number;
}

export interface LoadResult {
  connections: number;
  requests: number;
  errors: number;
  /** The first few distinct error reasons, with counts. */
  errorSamples: Record<string, number>;
  seconds: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU ms the generator itself used during the run. */
  generatorCpuMs: number;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

class ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  onResponse?: (response: RawResponse) => void;

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const parsed = this.tryParse();
      if (!parsed) return;
      this.onResponse?.(parsed);
    }
  }

  reset(): void {
    this.buffer = Buffer.alloc(0);
  }

  private tryParse(): RawResponse | undefined {
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return undefined;
    const head = this.buffer.toString('latin1', 0, headEnd).split('\r\n');
    const status = Number(head[0]!.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (let k = 1; k < head.length; k++) {
      const line = head[k]!;
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const bodyStart = headEnd + 4;
    if (headers['content-length'] !== undefined || status === 204 || status === 304) {
      const length = Number(headers['content-length'] ?? 0);
      if (this.buffer.length < bodyStart + length) return undefined;
      const body = this.buffer.toString('utf8', bodyStart, bodyStart + length);
      this.buffer = this.buffer.subarray(bodyStart + length);
      return { status, headers, body };
    }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts: Buffer[] = [];
      let at = bodyStart;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return undefined;
        const size = parseInt(this.buffer.toString('latin1', at, lineEnd), 16);
        if (size === 0) {
          // "0\r\n", optional trailer lines, then an empty line.
          if (this.buffer.length < lineEnd + 4) return undefined;
          let finish = lineEnd + 4;
          if (this.buffer.toString('latin1', lineEnd + 2, lineEnd + 4) !== '\r\n') {
            const end = this.buffer.indexOf('\r\n\r\n', lineEnd);
            if (end < 0) return undefined;
            finish = end + 4;
          }
          this.buffer = this.buffer.subarray(finish);
          return { status, headers, body: Buffer.concat(parts).toString('utf8') };
        }
        if (this.buffer.length < lineEnd + 2 + size + 2) return undefined;
        parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
    }
    // No framing: not expected from this server; treat as a protocol error.
    this.buffer = Buffer.alloc(0);
    return { status: -1, headers, body: 'response without content-length or chunked encoding' };
  }
}

/** One keep-alive connection that sends one request at a time. */
class Connection {
  private socket?: net.Socket;
  private parser = new ResponseParser();
  private pending?: { resolve: (r: RawResponse) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

  constructor(private host: string, private port: number, private timeoutMs: number) {}

  private connect(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
      socket.on('data', (chunk) => this.parser.push(chunk));
      socket.on('error', (error) => this.fail(error));
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined;
        this.parser.reset();
        this.fail(new Error('connection closed by the server'));
      });
      this.parser.onResponse = (response) => {
        const pending = this.pending;
        if (!pending) return;
        this.pending = undefined;
        clearTimeout(pending.timer);
        if (/close/i.test(response.headers.connection ?? '')) {
          this.socket?.destroy();
          this.socket = undefined;
        }
        pending.resolve(response);
      };
    });
  }

  private fail(error: Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.reject(error);
  }

  async request(raw: string): Promise<RawResponse> {
    if (!this.socket) this.socket = await this.connect();
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new Error(`no response within ${this.timeoutMs} ms`));
        socket.destroy();
      }, this.timeoutMs);
      this.pending = { resolve, reject, timer };
      socket.write(raw);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

export function buildRequest(method: string, host: string, port: number, path: string, body: string, headers: Record<string, string> = {}): string {
  let extra = '';
  for (const [name, value] of Object.entries(headers)) extra += `${name}: ${value}\r\n`;
  return `${method} ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: application/json\r\n${extra}` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`;
}

/** Drives the load and returns the figures. Latencies are end-to-end from the write to the last byte. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const method = options.method ?? 'POST';
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const latencies = new Float64Array(options.maxRequests);
  let issued = 0;
  let completed = 0;
  let errors = 0;
  const errorSamples: Record<string, number> = {};
  const noteError = (reason: string) => {
    errors += 1;
    const key = reason.slice(0, 200);
    if (key in errorSamples || Object.keys(errorSamples).length < 5) errorSamples[key] = (errorSamples[key] ?? 0) + 1;
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;

  const loop = async () => {
    const connection = new Connection(options.host, options.port, timeoutMs);
    try {
      while (issued < options.maxRequests && performance.now() < deadline) {
        const i = issued++;
        const body = options.body(i);
        const raw = buildRequest(method, options.host, options.port, options.path, body, options.headers?.(i, body));
        const t0 = performance.now();
        try {
          const response = await connection.request(raw);
          latencies[completed++] = performance.now() - t0;
          const verdict = options.check(response, i);
          if (verdict !== true) noteError(verdict);
        } catch (error) {
          latencies[completed++] = performance.now() - t0;
          noteError(error instanceof Error ? error.message : String(error));
        }
      }
    } finally {
      connection.close();
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = latencies.subarray(0, completed).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    connections: options.connections,
    requests: completed,
    errors,
    errorSamples,
    seconds,
    rps: completed / seconds,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : NaN,
      mean: completed ? sum / completed : NaN,
    },
    generatorCpuMs: (cpu.user + cpu.system) / 1000,
  };
}
