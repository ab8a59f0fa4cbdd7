import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { startLocalServer } from '../../runtime/testing/harness.js';
import { serveTestApi, type Body, type TestApi } from './test-api.server.js';

/**
 * The n8n corpus (runtime/import/n8n/corpus, sources in its SOURCES.md): real public workflows, each
 * imported through POST /api/flows/import, then those with a webhook or manual trigger run to see
 * how many complete. Outbound HTTP goes to a local server (every HTTP Request URL is pointed at it
 * after the import); nothing else is faked, so steps that need a provider account, a sub-flow that
 * was not imported or a rebuilt placeholder stop the run, and are counted as not completed.
 */
const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../runtime/import/n8n/corpus');
const files = fs.readdirSync(corpusDir).filter((f) => f.endsWith('.json')).sort();

let runtime: Runtime;
let http: TestApi;
let stopWorker: () => Promise<void>;
let outside: { url: string; hits: Map<string, number> };

beforeAll(async () => {
  runtime = await createRuntime(testConfig({ sandboxTimeoutMs: 10_000, outboundAllow: ['127.0.0.1'] }));
  const worker = await runtime.startWorker({ concurrency: 4 });
  http = await serveTestApi(runtime, 'n8n-corpus');
  stopWorker = () => worker.close();
  // Stands in for every API the workflows call: a JSON object with an empty list and an id.
  outside = await startLocalServer((_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, id: '1', data: [], items: [], results: [] }));
  });
}, 120_000);

afterAll(async () => {
  await stopWorker?.();
  await runtime?.close();
});

const api = (method: string, p: string, body?: unknown) => http.api(method, p, body);

/** A run's end: succeeded / failed / cancelled, or waiting (a Wait or sub-flow parked it). */
async function settled(executionId: string): Promise<Body> {
  let record: Body;
  await expect.poll(async () => {
    record = (await api('GET', `/api/executions/${executionId}?steps=none`)).body;
    return record.status;
  }, { timeout: 30_000, interval: 200 }).toMatch(/succeeded|failed|cancelled|waiting/);
  return record;
}

describe('n8n corpus', () => {
  it(`imports every corpus file (${files.length}) and runs those with a webhook or manual trigger`, async () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    const totals = { files: 0, imported: 0, nodes: 0, mapped: 0, changed: 0, notMapped: 0, folded: 0, expressions: 0, translated: 0 };
    const runs = { candidates: 0, completed: 0, blockedByProblems: 0, failed: 0, waiting: 0 };
    const reasons = new Map<string, number>();
    const perFile: string[] = [];
    let current = '';
    const count = (reason: string, detail = '') => {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      perFile.push(`  ${current}: ${reason}${detail ? ` (${detail.slice(0, 160)})` : ''}`);
    };

    for (const file of files) {
      totals.files += 1;
      current = file;
      const workflow: Body = JSON.parse(fs.readFileSync(path.join(corpusDir, file), 'utf8'));
      const imported = await api('POST', '/api/flows/import', { format: 'n8n', workflow });
      expect(imported.status, `${file}: ${imported.text.slice(0, 300)}`).toBe(201);
      totals.imported += 1;
      const { summary } = imported.body.report;
      totals.nodes += summary.nodes - summary.folded;
      totals.mapped += summary.mapped;
      totals.changed += summary.changed;
      totals.notMapped += summary.notMapped;
      totals.folded += summary.folded;
      totals.expressions += summary.expressions;
      totals.translated += summary.expressionsTranslated;
      expect(imported.body.flow.active).toBe(false);

      const types = new Set<string>(workflow.nodes.map((n: Body) => n.type));
      const webhook = types.has('n8n-nodes-base.webhook');
      if (!webhook && !types.has('n8n-nodes-base.manualTrigger')) continue;
      runs.candidates += 1;
      const flow = imported.body.flow;
      if ((flow.problems ?? []).length > 0) {
        runs.blockedByProblems += 1;
        count(`problem: ${flow.problems[0].code}${flow.problems.some((p: Body) => /rebuild this step/.test(p.message)) ? ' (placeholder)' : ''}`, flow.problems[0].message);
        continue;
      }
      // Point outbound calls at the local stand-in (host and path kept in the path, for the log).
      const document = structuredClone(flow.document);
      for (const n of document.nodes) {
        if (n.type === 'core.http-request' && typeof n.props.url === 'string') n.props.url = `${outside.url}/${encodeURIComponent(n.props.url).slice(0, 200)}`;
      }
      const saved = await api('PUT', `/api/flows/${flow.id}`, document);
      expect(saved.status, `${file}: ${saved.text.slice(0, 300)}`).toBe(200);
      // The trigger's pinned data from n8n, when the file has some; else an empty call.
      const trigger = document.nodes.find((n: Body) => n.type === 'core.webhook' || n.type === 'core.manual-trigger');
      const pinned = trigger ? imported.body.pins[trigger.id]?.main : undefined;
      const input = pinned ?? (webhook ? { body: {}, query: {}, headers: {}, method: 'POST', path: 'corpus' } : {});
      const run = await api('POST', `/api/flows/${flow.id}/run`, { input });
      if (run.status !== 202) {
        runs.failed += 1;
        count(`run refused: ${run.body?.error?.code}`);
        continue;
      }
      const execution = await settled(run.body.executionId);
      if (execution.status === 'succeeded') runs.completed += 1;
      else if (execution.status === 'waiting') {
        runs.waiting += 1;
        count('parked on a Wait or sub-flow');
      } else {
        runs.failed += 1;
        count(`failed: ${String(execution.error?.code ?? 'unknown').slice(0, 60)}`, String(execution.error?.message ?? ''));
      }
    }

    const share = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
    console.log([
      `n8n corpus: ${totals.imported}/${totals.files} files imported without error`,
      `nodes (sub-nodes folded into their parent not counted): ${totals.nodes}; mapped ${totals.mapped + totals.changed} (${share(totals.mapped + totals.changed, totals.nodes)}: ${totals.mapped} as they were, ${totals.changed} with changes), not mapped ${totals.notMapped}; folded sub-nodes ${totals.folded}`,
      `expressions: ${totals.translated}/${totals.expressions} translated (${share(totals.translated, totals.expressions)})`,
      `webhook or manual trigger: ${runs.candidates}; ran to completion ${runs.completed}; refused for problems (placeholders, props) ${runs.blockedByProblems}; failed ${runs.failed}; parked waiting ${runs.waiting}`,
      `why not: ${[...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n}× ${r}`).join('; ')}`,
      ...perFile,
    ].join('\n'));
    expect(totals.imported).toBe(files.length);
    expect(runs.completed + runs.blockedByProblems + runs.failed + runs.waiting).toBe(runs.candidates);
    expect(runs.completed).toBeGreaterThan(0);
  }, 600_000);
});
