import { Worker } from 'node:worker_threads';

/**
 * User-written regular expressions run on a worker thread with a time limit. JavaScript's engine
 * backtracks, so a pattern like `(a+)+$` on a long text can run for minutes on the thread that
 * calls it; here the caller waits at most `timeoutMs`, then the thread is terminated (V8 stops it
 * mid-match) and a fresh one serves the next call. The worker process and its other executions
 * carry on. Calls run one at a time per process: a match is microseconds, and a queue keeps a
 * timed-out pattern from taking innocent calls down with it.
 */

export interface RegexHit {
  /** The pattern as given. */
  pattern: string;
  start: number;
  end: number;
}

export type RegexOutcome =
  | { ok: true; hits: RegexHit[] }
  | { ok: false; pattern: string; reason: 'timeout' | 'invalid'; message: string };

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, patterns, text, maxHits }) => {
  const hits = [];
  for (const source of patterns) {
    let regex;
    try {
      const literal = /^\\/([\\s\\S]*)\\/([a-z]*)$/.exec(source);
      const flags = literal ? literal[2] : '';
      regex = new RegExp(literal ? literal[1] : source, flags.includes('g') ? flags : flags + 'g');
    } catch (error) {
      parentPort.postMessage({ id, invalid: source, message: String(error.message) });
      return;
    }
    let count = 0;
    for (let m = regex.exec(text); m && count < maxHits; m = regex.exec(text)) {
      hits.push({ pattern: source, start: m.index, end: m.index + m[0].length });
      count++;
      if (m[0] === '') regex.lastIndex++;
    }
  }
  parentPort.postMessage({ id, hits });
});
`;

/** Default: 250 ms for all the patterns of one call, counted from when the thread has the work. */
export const DEFAULT_REGEX_TIMEOUT_MS = 250;
/** Matches reported per pattern, at most. */
const MAX_HITS = 100;

let worker: { thread: Worker; ready: Promise<void> } | undefined;
let queue: Promise<unknown> = Promise.resolve();
let nextId = 0;

function ensureWorker(): { thread: Worker; ready: Promise<void> } {
  if (!worker) {
    const thread = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    // The thread must not keep a finished process alive.
    thread.unref();
    // Starting a thread takes tens of milliseconds (more on a busy machine): not the pattern's time.
    const ready = new Promise<void>((resolve) => thread.once('online', () => resolve()));
    worker = { thread, ready };
  }
  return worker;
}

async function runOnce(patterns: readonly string[], text: string, timeoutMs: number): Promise<RegexOutcome> {
  const { thread, ready } = ensureWorker();
  // Referenced while a call waits on it (an idle thread must not keep a finished process alive).
  thread.ref();
  try {
    await ready;
    return await ask(thread, patterns, text, timeoutMs);
  } finally {
    thread.unref();
  }
}

function ask(thread: Worker, patterns: readonly string[], text: string, timeoutMs: number): Promise<RegexOutcome> {
  const id = nextId++;
  return new Promise<RegexOutcome>((resolve) => {
    const done = (outcome: RegexOutcome) => {
      clearTimeout(timer);
      thread.off('message', onMessage);
      thread.off('error', onError);
      resolve(outcome);
    };
    const onMessage = (message: { id: number; hits?: RegexHit[]; invalid?: string; message?: string }) => {
      if (message.id !== id) return;
      if (message.invalid !== undefined) done({ ok: false, pattern: message.invalid, reason: 'invalid', message: message.message ?? 'invalid pattern' });
      else done({ ok: true, hits: message.hits ?? [] });
    };
    const onError = (error: Error) => {
      worker = undefined;
      done({ ok: false, pattern: patterns.join(', '), reason: 'timeout', message: `the pattern check stopped: ${error.message}` });
    };
    const timer = setTimeout(() => {
      worker = undefined;
      void thread.terminate();
      done({ ok: false, pattern: patterns.length === 1 ? patterns[0]! : patterns.join(', '), reason: 'timeout', message: `ran longer than ${timeoutMs} ms and was stopped (a pattern that backtracks, like (a+)+, on a long text)` });
    }, timeoutMs);
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.postMessage({ id, patterns, text, maxHits: MAX_HITS });
  });
}

/** Runs `patterns` (plain, or `/pattern/flags`) over `text` within `timeoutMs`. */
export function runRegexes(patterns: readonly string[], text: string, timeoutMs = DEFAULT_REGEX_TIMEOUT_MS): Promise<RegexOutcome> {
  const result = queue.then(() => runOnce(patterns, text, timeoutMs));
  queue = result.catch(() => undefined);
  return result;
}
