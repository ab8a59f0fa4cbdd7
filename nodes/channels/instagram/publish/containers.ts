import { NodeError, NonRetryableError, type JsonObject } from '@switchyard/sdk';
import { instagramCall, type InstagramContext } from '../client.js';
import type { InstagramAccount } from '../credential.js';

/** How a publish waits for Instagram to process its media. */
export interface ContainerWait {
  /** Between two status checks. */
  pollIntervalMs: number;
  /** Give up after this long in total. */
  maxWaitMs: number;
  /** Epoch ms the whole wait started. */
  startedAt: number;
}

/** Creates a media container (`POST /{ig-user-id}/media`) and returns its id. */
export async function createContainer(ctx: InstagramContext, account: InstagramAccount, params: JsonObject): Promise<string> {
  const body = await instagramCall(ctx, account, { method: 'POST', path: `${account.igAccountId}/media`, body: params });
  if (typeof body.id !== 'string') throw new NonRetryableError('Instagram created a media container but its answer has no id', { code: 'provider_bad_answer' });
  return body.id;
}

/**
 * Checks the container's `status_code` until it is FINISHED. ERROR and EXPIRED are step errors with
 * Instagram's own status text; the wait is bounded by `maxWaitMs` and stops when the step is cancelled.
 */
export async function waitUntilReady(ctx: InstagramContext, account: InstagramAccount, containerId: string, what: string, wait: ContainerWait): Promise<void> {
  for (;;) {
    const body = await instagramCall(ctx, account, { method: 'GET', path: containerId, query: { fields: 'status_code,status' } });
    const code = typeof body.status_code === 'string' ? body.status_code : 'IN_PROGRESS';
    if (code === 'FINISHED' || code === 'PUBLISHED') return;
    const status = typeof body.status === 'string' ? body.status : code;
    if (code === 'ERROR' || code === 'EXPIRED') {
      throw new NonRetryableError(`Instagram could not process the ${what} (container ${containerId}, ${code}): ${status}`, { code: 'media_not_processed', details: { containerId, statusCode: code, status } });
    }
    if (Date.now() + wait.pollIntervalMs - wait.startedAt > wait.maxWaitMs) {
      throw new NodeError(`Instagram was still processing the ${what} (container ${containerId}) after ${Math.round(wait.maxWaitMs / 1000)} s; raise "Longest wait" for large videos`, { code: 'media_not_ready', details: { containerId, statusCode: code } });
    }
    await sleep(wait.pollIntervalMs, ctx.signal);
  }
}

/** Publishes a ready container (`POST /{ig-user-id}/media_publish`) and returns the post's media id. */
export async function publishContainer(ctx: InstagramContext, account: InstagramAccount, containerId: string): Promise<string> {
  const body = await instagramCall(ctx, account, { method: 'POST', path: `${account.igAccountId}/media_publish`, body: { creation_id: containerId } });
  if (typeof body.id !== 'string') throw new NonRetryableError('Instagram published the post but its answer has no id', { code: 'provider_bad_answer' });
  return body.id;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
