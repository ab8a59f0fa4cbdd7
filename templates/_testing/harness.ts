import { afterAll, beforeAll, expect } from 'vitest';
import { createRuntime, type Runtime, type SwitchyardConfig } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { serveTestApi, type Body, type TestApi, type TestResponse } from '../../app/server/test-api.server.js';

/**
 * What every template's test does, in one place: a real runtime with a worker on its own schema and
 * queue prefix, served over HTTP, the template imported through `POST /api/templates/:id/import` as a
 * user would, activated, and its executions awaited. Copy a sibling's `template.test.ts` to start.
 */
export interface TemplateBed {
  readonly runtime: Runtime;
  readonly http: TestApi;
  /** Calls the API with the bed's API key. */
  api(method: string, path: string, body?: unknown): Promise<TestResponse>;
  /** Stores a credential through the API; returns its id. */
  credential(kind: string, name: string, data: Record<string, unknown>): Promise<string>;
  /** Imports the template with the slot mapping; expects a 201 and returns its answer. */
  importTemplate(id: string, credentials?: Record<string, string>): Promise<Body>;
  /** Activates the flow (expects success: every slot is bound and the triggers registered). */
  activate(flowId: string): Promise<void>;
  /** The flow's next execution (after `afterCount` earlier ones) once it is no longer running, with its steps. */
  finishedExecution(flowId: string, afterCount?: number, timeoutMs?: number): Promise<Body>;
}

export interface TemplateBedOptions {
  /** Config over the test defaults (outbound calls to 127.0.0.1 are already allowed). Default: none. */
  config?: Partial<SwitchyardConfig>;
  /** Start an execution worker. Default: true. */
  worker?: boolean;
}

/** Registers `beforeAll`/`afterAll` for a template test file; the bed's fields are ready inside tests. */
export function templateBed(options: TemplateBedOptions = {}): TemplateBed {
  let runtime: Runtime | undefined;
  let http: TestApi | undefined;
  let stopWorker: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    runtime = await createRuntime(testConfig({ outboundAllow: ['127.0.0.1'], ...options.config }));
    if (options.worker !== false) {
      const worker = await runtime.startWorker({ concurrency: 4 });
      stopWorker = () => worker.close();
    }
    http = await serveTestApi(runtime, 'templates');
  });
  afterAll(async () => {
    await stopWorker?.();
    await runtime?.close();
  });

  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the template bed is used before its beforeAll ran');
    return value;
  };
  const api = (method: string, path: string, body?: unknown) => need(http).api(method, path, body);

  return {
    get runtime() { return need(runtime); },
    get http() { return need(http); },
    api,
    async credential(kind, name, data) {
      const created = await api('POST', '/api/credentials', { kind, name, data });
      expect(created.status, created.text).toBe(201);
      return created.body.id;
    },
    async importTemplate(id, credentials = {}) {
      const imported = await api('POST', `/api/templates/${id}/import`, { credentials });
      expect(imported.status, imported.text).toBe(201);
      expect(imported.body.flow.active).toBe(false);
      return imported.body;
    },
    async activate(flowId) {
      const activated = await api('POST', `/api/flows/${flowId}/activate`);
      expect(activated.status, activated.text).toBe(200);
    },
    async finishedExecution(flowId, afterCount = 0, timeoutMs = 20_000) {
      let id: string | undefined;
      await expect.poll(async () => {
        const list: Body[] = (await api('GET', `/api/executions?flowId=${flowId}&limit=50`)).body;
        if (list.length <= afterCount) return 'none yet';
        const next = list[list.length - 1 - afterCount];
        id = next.id;
        return next.status;
      }, { timeout: timeoutMs, interval: 100 }).toMatch(/succeeded|failed|cancelled|waiting/);
      return (await api('GET', `/api/executions/${id}`)).body;
    },
  };
}

/** The output a node's latest step sent on `port` (default `main`). */
export function outputOf(execution: Body, nodeId: string, port = 'main'): Body {
  const steps: Body[] = execution.steps.filter((s: Body) => s.nodeId === nodeId);
  expect(steps.length, `no step of "${nodeId}" in ${JSON.stringify(execution.steps.map((s: Body) => s.nodeId))}`).toBeGreaterThan(0);
  return steps[steps.length - 1].output?.[port];
}
