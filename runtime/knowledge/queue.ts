import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ingestSource, type IngestDeps } from './ingest.js';
import { setSource } from './store.js';

/** The BullMQ queue knowledge ingestion runs on (its keys under the configured prefix). */
export const KNOWLEDGE_QUEUE = 'knowledge';

/** Ingest (or re-index) one source. */
export interface IngestJobData {
  sourceId: string;
  workspaceId: string;
}

export interface KnowledgeJobDataByName {
  ingest: IngestJobData;
}
export type KnowledgeJobName = keyof KnowledgeJobDataByName;

/** Attempts for infrastructure failures (database, the model's process); a bad document fails at once. */
const ATTEMPTS = 3;

/** A queued or processing source not updated for this long has lost its job. */
const STUCK_AFTER_MS = 120_000;

/** The ingestion queue, typed. */
export class KnowledgeQueue {
  readonly queue: Queue<KnowledgeJobDataByName[KnowledgeJobName], unknown, KnowledgeJobName>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(KNOWLEDGE_QUEUE, {
      connection, prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } },
    });
  }

  /**
   * Queues a source. The job id carries `generation` (a re-index queues a new one) and stays unique
   * per request, so a source queued twice for the same reason runs once.
   */
  async ingest(data: IngestJobData, generation: string): Promise<void> {
    await this.queue.add('ingest', data, { jobId: `ingest-${data.sourceId}-${generation}` });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/**
 * Runs ingestion jobs in a worker process, one at a time: embedding is single-threaded CPU work in
 * the model's own process, so more in parallel would only queue there. Sources left queued or
 * processing (a worker killed, Redis flushed) are queued again when a worker starts.
 */
export class KnowledgeWorker {
  private readonly worker: Worker<IngestJobData, void, KnowledgeJobName>;

  constructor(private readonly deps: IngestDeps & { connection: Redis; prefix: string; queue: KnowledgeQueue; log: Logger }) {
    this.worker = new Worker<IngestJobData, void, KnowledgeJobName>(KNOWLEDGE_QUEUE, (job) => this.process(job), {
      connection: deps.connection, prefix: deps.prefix, concurrency: 1, autorun: false,
      // A 100-page PDF keeps the job for minutes; the lock is renewed while it runs.
      lockDuration: 60_000,
    });
    this.worker.on('failed', (job, error) => {
      if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      deps.log.error({ sourceId: job.data.sourceId, err: error }, 'knowledge ingestion failed for good');
      void setSource(deps.knex, job.data.sourceId, { status: 'failed', error: `ingestion failed: ${error.message}` }).catch(() => undefined);
    });
    this.worker.on('error', (error) => deps.log.error({ err: error }, 'knowledge worker error'));
  }

  private async process(job: Job<IngestJobData, void, KnowledgeJobName>): Promise<void> {
    await ingestSource(this.deps, job.data.sourceId);
  }

  async start(): Promise<void> {
    void this.worker.run();
    await this.worker.waitUntilReady();
    // Untouched for two minutes: a running job writes its progress every batch, so these have none.
    const stuck = await this.deps.knex('knowledge_sources').whereIn('status', ['queued', 'processing'])
      .where('updated_at', '<', new Date(Date.now() - STUCK_AFTER_MS)).select<{ id: string; workspace_id: string }[]>('id', 'workspace_id');
    for (const row of stuck) await this.deps.queue.ingest({ sourceId: row.id, workspaceId: row.workspace_id }, 'resume');
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}
