import type { Logger as NodeLogger } from '@switchyard/sdk';
import type { Logger } from 'pino';
import type { Redactor } from '../vault/redact.js';
import type { Cancellation } from './cancellation.js';
import type { PlannedNode } from './plan.js';
import { CancelledError } from './step.js';

/** The port a disabled node passes through, and `onError: continue` sends on. */
export function firstPort(planned: PlannedNode): string {
  const out = planned.definition.ports.out;
  const ports = typeof out === 'function' ? ['main'] : out;
  return ports[0] ?? 'main';
}

/** What a node logs goes through the run's redactor: a node printing its own token logs `[redacted]`. */
export function nodeLogger(makeLog: () => Logger, redactor: Redactor): NodeLogger {
  let log: Logger | undefined;
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, data?: Record<string, unknown>) => {
    log ??= makeLog();
    if (!log.isLevelEnabled(level)) return;
    log[level](redactor.redact(data ?? {}, { secretKeys: true }), redactor.redactString(message));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Waits `ms`, or rejects with CancelledError when the execution is cancelled. */
export function sleep(ms: number, cancel: Cancellation): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancel.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => { stopListening(); resolve(); }, ms);
    const stopListening = cancel.onAbort(() => { clearTimeout(timer); reject(new CancelledError()); });
  });
}

