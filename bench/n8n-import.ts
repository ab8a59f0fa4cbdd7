// `npm run bench` — n8n import of a 100-node workflow (issue 16: < 300 ms server time). Measures; it
// does not pass or fail on the figure (it exits non-zero only when it could not measure at all).
//
// Builds a 100-node n8n workflow from the node kinds the corpus uses most (Webhook, Set, If, Switch,
// HTTP Request, Code, Telegram, Merge, Wait, Google Sheets as an unmapped placeholder, a chat model
// folded into a Basic LLM Chain), then against `switchyard web` + `switchyard worker` (real Postgres
// and Redis, as the other benchmarks start them) times POST /api/flows/import with
// { format: "n8n", workflow }: the preview (?dryRun=true: convert + report) and the saving import
// (convert + validate + insert the draft flow). Calls go one at a time on 127.0.0.1 keep-alive, so the
// round trip is the server's time plus a loopback hop. Also prints the conversion alone, in process.
import { performance } from 'node:perf_hooks';
import { convertN8nWorkflow } from '../runtime/import/index.js';
import { startSystem } from './_system.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS_N8N) || (process.env.BENCH_QUICK === '1' ? 10 : 40);

function workflow(count: number): { name: string; nodes: unknown[]; connections: Record<string, unknown> } {
  const nodes: Record<string, unknown>[] = [{
    name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0],
    parameters: { path: 'bench-orders', httpMethod: 'POST', responseMode: 'lastNode' },
  }];
  const connections: Record<string, { main: { node: string; type: string; index: number }[][] }> = {};
  const link = (from: string, to: string, index = 0) => {
    const entry = connections[from] ?? { main: [] };
    while (entry.main.length <= index) entry.main.push([]);
    entry.main[index]!.push({ node: to, type: 'main', index: 0 });
    connections[from] = entry;
  };
  const kinds = [
    (n: string) => ({ type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: { assignments: [{ name: 'total', type: 'number', value: '={{ $json.body.total * 2 }}' }, { name: 'who', type: 'string', value: `={{ $('Webhook').item.json.body.name }} ${n}` }] }, includeOtherFields: true } }),
    () => ({ type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: { combinator: 'and', conditions: [{ leftValue: '={{ $json.total }}', rightValue: 10, operator: { type: 'number', operation: 'gt' } }] } } }),
    () => ({ type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters: { method: 'POST', url: '=https://api.example.com/orders/{{ $json.id }}', sendBody: true, specifyBody: 'json', jsonBody: '={ "total": {{ $json.total }} }' } }),
    () => ({ type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: 'return $input.all().map((i) => ({ json: { ...i.json, seen: true } }));' } }),
    () => ({ type: 'n8n-nodes-base.telegram', typeVersion: 1.2, parameters: { chatId: '={{ $json.chat }}', text: '=Order {{ $json.id }}', additionalFields: {} }, credentials: { telegramApi: { id: '1', name: 'Bot' } } }),
    () => ({ type: 'n8n-nodes-base.switch', typeVersion: 3.2, parameters: { rules: { values: [{ conditions: { combinator: 'and', conditions: [{ leftValue: '={{ $json.kind }}', rightValue: 'a', operator: { type: 'string', operation: 'equals' } }] } }] }, options: { fallbackOutput: 'extra' } } }),
    () => ({ type: 'n8n-nodes-base.googleSheets', typeVersion: 4.5, parameters: { operation: 'append', sheetName: 'Orders', columns: { value: { a: '={{ $json.a }}' } } } }),
    () => ({ type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { amount: 1, unit: 'seconds' } }),
  ];
  let previous = 'Webhook';
  for (let i = 1; nodes.length < count; i++) {
    const name = `Step ${i}`;
    const kind = kinds[i % kinds.length]!(name);
    nodes.push({ name, position: [i * 220, 0], ...kind });
    link(previous, name);
    previous = name;
  }
  return { name: 'Bench 100 nodes', nodes, connections };
}

function quantiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `p50 ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} ms (${samples.length} calls)`;
}

async function main() {
  const n8n = workflow(100);
  const inProcess: number[] = [];
  for (let i = 0; i < ROUNDS + 5; i++) {
    const started = performance.now();
    const { report } = convertN8nWorkflow(n8n);
    if (i >= 5) inProcess.push(performance.now() - started);
    if (report.summary.nodes !== 100) throw new Error(`expected 100 nodes, the report has ${report.summary.nodes}`);
  }
  const system = await startSystem();
  try {
    const timed = async (path: string) => {
      const started = performance.now();
      const body = await system.api<{ report: { summary: { nodes: number } }; flowId?: string }>('POST', path, { format: 'n8n', workflow: n8n });
      const ms = performance.now() - started;
      if (body.report.summary.nodes !== 100) throw new Error('the import answered without the 100-node report');
      return ms;
    };
    for (let i = 0; i < 5; i++) await timed('/api/flows/import?dryRun=true');
    const preview: number[] = [];
    for (let i = 0; i < ROUNDS; i++) preview.push(await timed('/api/flows/import?dryRun=true'));
    const save: number[] = [];
    for (let i = 0; i < ROUNDS; i++) save.push(await timed('/api/flows/import'));
    console.log('n8n import, 100-node workflow (goal: < 300 ms server time)');
    console.log(`  conversion in process:          ${quantiles(inProcess)}`);
    console.log(`  POST /api/flows/import?dryRun:  ${quantiles(preview)}`);
    console.log(`  POST /api/flows/import (saves): ${quantiles(save)}`);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
