import type { Json } from '@switchyard/sdk';
import type { ExecutionRecord, Runtime, StepRecord } from '../../runtime/index.js';
import { bindCredentials } from '../server/flow-export.js';
import { CLI_WORKSPACE, readDocument, withRuntime } from './commands.server.js';
import { stopSignal, type CliIo } from './io.js';

/** Step output longer than this is cut in the printout (the full record stays in the database). */
const MAX_OUTPUT_CHARS = 2000;
const POLL_MS = 100;
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

function compact(value: Json | Record<string, Json> | null): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_OUTPUT_CHARS ? `${text.slice(0, MAX_OUTPUT_CHARS)}… (${text.length} chars)` : text;
}

/** One line per finished step: node id, type, status, duration, then its output (or error) as compact JSON. */
export function formatStep(step: StepRecord): string {
  const mark = step.status === 'succeeded' ? '✓' : step.status === 'failed' ? '✗' : '…';
  const duration = step.durationMs === null ? '-' : `${Math.round(step.durationMs)}ms`;
  const attempt = step.attempt > 1 ? ` (attempt ${step.attempt})` : '';
  const detail = step.status === 'failed' ? `error: ${step.error?.message ?? 'failed'}` : compact(step.output);
  return `${mark} ${step.nodeId} ${step.nodeType} ${step.status}${attempt} ${duration} ${detail}`;
}

/** Names the temporary flow so that, if cleanup ever fails, it is recognisable in the flow list. */
function markTemporary(document: unknown): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const name = 'name' in document ? document.name : undefined;
  return typeof name === 'string' ? { ...document, name: `${name} (cli run)` } : document;
}

/**
 * `switchyard run <flow.json>`: stores the document as a temporary flow, runs it on a worker in this
 * process, prints each step as it finishes, and removes the flow again. Exit code 1 when the
 * execution did not succeed. Ctrl-C cancels the execution (and still cleans up).
 */
export async function runOnce(io: CliIo, file: string, input: Json): Promise<number> {
  const document = await readDocument(io, file);
  return withRuntime(io, async (runtime) => {
    const worker = await runtime.startWorker({ concurrency: 4 });
    let flowId: string | undefined;
    const stop = stopSignal(io);
    try {
      const flow = await runtime.flows.create(CLI_WORKSPACE, bindCredentials(markTemporary(document), await runtime.credentials.list(CLI_WORKSPACE)));
      flowId = flow.id;
      const { executionId } = await runtime.executions.run(CLI_WORKSPACE, flow.id, input, { mode: 'cli' });
      io.stderr(`execution ${executionId} of "${flow.name}"`);
      const record = await follow(io, runtime, executionId, stop.stopped);
      return report(io, record);
    } finally {
      stop.dispose();
      if (flowId) await runtime.flows.remove(CLI_WORKSPACE, flowId).catch((error: unknown) => io.stderr(`could not remove the temporary flow ${flowId}: ${String(error)}`));
      await worker.close();
    }
  });
}

async function follow(io: CliIo, runtime: Runtime, executionId: string, stopped: Promise<string>): Promise<ExecutionRecord> {
  const printed = new Set<string>();
  let cancelled = false;
  void stopped.then(async () => {
    cancelled = true;
    io.stderr('stopping: cancelling the execution…');
    await runtime.executions.cancel(CLI_WORKSPACE, executionId).catch(() => undefined);
  });
  for (;;) {
    const record = await runtime.executions.get(CLI_WORKSPACE, executionId);
    for (const step of record.steps) {
      const key = `${step.stepKey}\u0000${step.attempt}\u0000${step.status}`;
      if (step.finishedAt === null && step.status !== 'waiting') continue;
      if (printed.has(key)) continue;
      printed.add(key);
      io.stdout(formatStep(step));
    }
    // A parked wait needs a resume this process will not see; cancelled covers Ctrl-C.
    if (FINISHED.has(record.status) || record.status === 'waiting' || (cancelled && record.status !== 'running')) return record;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function report(io: CliIo, record: ExecutionRecord): number {
  if (record.status === 'succeeded') {
    io.stderr(`succeeded${record.result === null ? '' : `: ${compact(record.result)}`}`);
    return 0;
  }
  if (record.status === 'waiting') {
    io.stderr(`the execution is parked in a wait${record.resumePath ? ` (resume: ${record.resumePath})` : ''}; a one-off run cannot resume it`);
    return 1;
  }
  const where = record.error?.nodeId ? ` at node "${record.error.nodeId}"` : '';
  io.stderr(`${record.status}${where}${record.error ? `: ${record.error.message}` : ''}`);
  return 1;
}
