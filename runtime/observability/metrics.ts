import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How often event-loop lag is sampled, in ms. */
const EVENT_LOOP_SAMPLE_MS = 100;

/** The metrics the engine writes; one registry per runtime so tests don't share counters. */
export interface EngineMetrics {
  registry: Registry;
  executions: Counter<'status'>;
  stepDuration: Histogram<'node_type'>;
  queueDepth: Gauge<'state'>;
  sandboxRestarts: Gauge;
}

/**
 * @param sources callbacks read at scrape time (queue counts, sandbox restarts), so nothing polls
 * Redis between scrapes.
 */
export function createMetrics(sources: {
  queueCounts?: () => Promise<Record<string, number>>;
  sandboxRestarts?: () => number;
} = {}): EngineMetrics {
  const registry = new Registry();
  // Event-loop lag is sampled by a timer; prom-client's default (10 ms) wakes every process 100
  // times a second even when idle. Sampling every 100 ms still gives hundreds of samples between
  // scrapes, and an idle process stays asleep.
  collectDefaultMetrics({ register: registry, prefix: 'switchyard_process_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  return {
    registry,
    executions: new Counter({ name: 'switchyard_executions_total', help: 'Executions finished or parked, by status', labelNames: ['status'], registers: [registry] }),
    stepDuration: new Histogram({
      name: 'switchyard_step_duration_seconds', help: 'Step run time by node type', labelNames: ['node_type'], registers: [registry],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    queueDepth: new Gauge({
      name: 'switchyard_queue_depth', help: 'Execution jobs in the queue by state', labelNames: ['state'], registers: [registry],
      async collect() {
        if (!sources.queueCounts) return;
        for (const [state, count] of Object.entries(await sources.queueCounts())) this.set({ state }, count);
      },
    }),
    sandboxRestarts: new Gauge({
      name: 'switchyard_sandbox_restarts_total', help: 'Sandbox host processes replaced after a crash or memory blow-up', registers: [registry],
      collect() {
        if (sources.sandboxRestarts) this.set(sources.sandboxRestarts());
      },
    }),
  };
}
