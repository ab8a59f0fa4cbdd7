import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HOST_SCRIPT = fileURLToPath(new URL('./embedder-host.mjs', import.meta.url));

/** The local model's name as knowledge bases record it. */
export const LOCAL_MODEL = 'local:universal-sentence-encoder';
/** The Universal Sentence Encoder's vectors. */
export const LOCAL_DIMENSION = 512;

/** Texts the host embeds per message: large enough to amortise the round trip, small enough to report progress. */
export const LOCAL_BATCH = 16;

/** A model that did not come up by then is killed (loading measured at ~0.6 s here). */
const STARTUP_TIMEOUT_MS = 60_000;

type HostMessage =
  | { type: 'ready' }
  | { type: 'vectors'; id: number; vectors: Float32Array[] }
  | { type: 'error'; id: number; message: string };

interface Pending {
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

/**
 * The local embedder: one child process running `embedder-host.mjs`, forked on the first call and
 * kept for the life of this process. Calls queue in the host (it embeds one batch at a time); a host
 * that dies fails its calls and the next call forks a new one.
 */
export class LocalEmbedder {
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Unit-length 512-dimension vectors, one per text, in order. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const child = await (this.ready ??= this.start());
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ type: 'embed', id, texts });
    });
  }

  /** The host's process id (benchmarks read its memory), undefined before the first call. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(): Promise<ChildProcess> {
    const child = fork(HOST_SCRIPT, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Only what the model needs: no database URL, no encryption key.
      env: { PATH: process.env.PATH ?? '', NODE_ENV: process.env.NODE_ENV ?? 'production' },
      execArgv: [],
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000); });
    return new Promise<ChildProcess>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); }, STARTUP_TIMEOUT_MS);
      child.on('message', (message: HostMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(child);
          return;
        }
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if (message.type === 'vectors') call.resolve(message.vectors);
        else call.reject(new Error(`local embedding failed: ${message.message}`));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const error = new Error(`the local embedding model's process exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
        reject(error);
        for (const call of this.pending.values()) call.reject(error);
        this.pending.clear();
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
      });
    });
  }

  /** Stops the host (if any); a later call starts a new one. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}
