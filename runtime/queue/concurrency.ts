import type { Redis } from 'ioredis';

/**
 * Per-flow concurrency limit across all workers: a sorted set of running execution ids scored by
 * lease expiry. A worker that dies leaves a lease that simply expires; the same execution
 * re-acquiring (after a crash) keeps its slot.
 */
const ACQUIRE = `
local key, id, now, lease, limit = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZSCORE', key, id) or redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now + lease, id)
  redis.call('PEXPIRE', key, lease)
  return 1
end
return 0`;

export class FlowConcurrency {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** How long a slot is held without renewal. Default: 10 minutes. */
    private readonly leaseMs = 10 * 60_000,
  ) {}

  private key(flowId: string): string {
    return `${this.prefix}:running:${flowId}`;
  }

  async acquire(flowId: string, executionId: string, limit: number): Promise<boolean> {
    const result = await this.redis.eval(ACQUIRE, 1, this.key(flowId), executionId, Date.now(), this.leaseMs, limit);
    return result === 1;
  }

  /**
   * Renews the execution's lease every third of it while it runs, so a run longer than the lease
   * keeps its slot (else a second execution would start beside it). Returns the function that stops.
   */
  keepAlive(flowId: string, executionId: string): () => void {
    const timer = setInterval(() => {
      // XX: only a slot still held is renewed; one released meanwhile stays released.
      this.redis.zadd(this.key(flowId), 'XX', Date.now() + this.leaseMs, executionId)
        .then(() => this.redis.pexpire(this.key(flowId), this.leaseMs))
        .catch(() => undefined);
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  async release(flowId: string, executionId: string): Promise<void> {
    await this.redis.zrem(this.key(flowId), executionId);
  }
}

/**
 * A fresh run about to park found its execution's lock held by another job: it cannot have been
 * continued yet, so this is a duplicate job; failing it (BullMQ retries it as a continuation, which
 * waits for the lock) is safer than two runs side by side.
 */
export class ExecutionBusyError extends Error {
  override name = 'ExecutionBusyError';
  constructor(executionId: string) {
    super(`execution ${executionId} is being run by another job; this run stops before parking and is retried`);
  }
}

/**
 * One run of an execution at a time. An execution that parks (a Wait, sub-flow calls) is continued
 * by a new job per event — every finished sub-flow, every resume — and without this those jobs ran
 * side by side: a For each calling 50 sub-flows had several runs of the parent replaying and parking
 * at once, overwriting each other's waits, and the parent stayed `waiting` forever. A run that finds
 * the execution held comes back shortly (the worker delays its job); the holder is the job, so the
 * same job retried after a crash takes its own lock back at once.
 */
export class ExecutionLocks {
  private readonly slots: FlowConcurrency;

  constructor(redis: Redis, prefix: string, /** How long a lock lives without renewal. Default: 30 000 ms. */ leaseMs = 30_000) {
    this.slots = new FlowConcurrency(redis, `${prefix}:exec`, leaseMs);
  }

  acquire(executionId: string, jobId: string): Promise<boolean> {
    return this.slots.acquire(executionId, jobId, 1);
  }

  /** Renews the lock while the run lasts; returns the function that stops. */
  keepAlive(executionId: string, jobId: string): () => void {
    return this.slots.keepAlive(executionId, jobId);
  }

  release(executionId: string, jobId: string): Promise<void> {
    return this.slots.release(executionId, jobId);
  }
}
