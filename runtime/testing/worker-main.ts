/**
 * A worker process for durability tests: the config arrives as JSON in SWITCHYARD_TEST_CONFIG so
 * the test can kill -9 this process and start another against the same schema and prefix.
 */
import { createRuntime } from '../index.js';
import type { SwitchyardConfig } from '../config/env.js';

const config = JSON.parse(process.env.SWITCHYARD_TEST_CONFIG ?? '{}') as SwitchyardConfig;
const runtime = await createRuntime(config);
const worker = await runtime.startWorker();
process.send?.('ready');
process.on('SIGTERM', () => {
  const closing = worker.close();
  // close() has marked every fetcher as closing; the test queues more work from here on.
  process.send?.('stopping');
  void closing.then(() => runtime.close()).then(() => process.exit(0));
});
