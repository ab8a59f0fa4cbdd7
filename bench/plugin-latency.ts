// A plugin node's added latency versus the same logic as a built-in node (issue 4's figure; goal:
// < 0.5 ms at p50 warm). Both run through their NodeDefinition.run with the same ctx, input and props:
// the "built-in" is text-utils' slugify definition called in-process; the plugin is the same node
// packed and run by its registry proxy in a sandbox host (IPC round trip + isolate call + JSON).
// Sequential calls (one in flight) measure latency; a concurrent batch measures throughput.
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { AnyNodeDefinition, NodeContext } from '@switchyard/sdk';
import { slugifyNode } from '../plugins/examples/text-utils/src/index.js';
import { packPlugin } from '../plugins/sdk/src/pack.js';
import { createPluginNode } from '../runtime/plugins/proxy.js';
import { createSandboxPool } from '../runtime/sandbox/pool.js';

const WARMUP = 500;
const CALLS = Number(process.env.BENCH_CALLS) || 5000;
const BATCH = 50;

const ctx: NodeContext = {
  executionId: 'bench', flowId: 'bench', workspaceId: 'default', nodeId: 'n', attempt: 1, idempotencyKey: 'k',
  credentials: {},
  http: { request: () => Promise.reject(new Error('no network in this benchmark')) },
  log: { debug() {}, info() {}, warn() {}, error() {} },
  signal: new AbortController().signal,
  wait: () => { throw new Error('unused'); },
  loop: () => { throw new Error('unused'); },
};
const props = { text: 'Crème Brûlée, à la carte — the 2026 edition!', separator: '-' };

function quantiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

async function sequential(node: AnyNodeDefinition): Promise<ReturnType<typeof quantiles>> {
  for (let i = 0; i < WARMUP; i++) await node.run(ctx, { i }, props);
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await node.run(ctx, { i }, props);
    samples.push(performance.now() - started);
  }
  return quantiles(samples);
}

async function throughput(node: AnyNodeDefinition): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < CALLS; done += BATCH) {
    await Promise.all(Array.from({ length: BATCH }, (_, i) => node.run(ctx, { i }, props)));
  }
  return CALLS / ((performance.now() - started) / 1000);
}

const fmt = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

async function main() {
  const packed = await packPlugin(fileURLToPath(new URL('../plugins/examples/text-utils', import.meta.url)));
  const declared = packed.manifest.nodes.find((n) => n.type === 'text-utils.slugify');
  if (!declared) throw new Error('text-utils has no slugify node');
  const pool = createSandboxPool({ hosts: 1 });
  const proxy = createPluginNode({ ...packed, approved: packed.manifest.permissions }, declared, { pool: () => pool });
  const coldStart = performance.now();
  await proxy.run(ctx, {}, props);
  const coldMs = performance.now() - coldStart;
  const builtin = await sequential(slugifyNode);
  const plugin = await sequential(proxy);
  const builtinRate = await throughput(slugifyNode);
  const pluginRate = await throughput(proxy);
  await pool.close();
  console.log(`plugin-latency: ${CALLS} sequential warm calls of text-utils.slugify (bundle ${(packed.bundle.length / 1024).toFixed(0)} KB)`);
  console.log(`  first call (host start + compile bundle): ${coldMs.toFixed(1)} ms`);
  console.log(`  built-in  p50 ${fmt(builtin.p50)}  p90 ${fmt(builtin.p90)}  p99 ${fmt(builtin.p99)}`);
  console.log(`  plugin    p50 ${fmt(plugin.p50)}  p90 ${fmt(plugin.p90)}  p99 ${fmt(plugin.p99)}  max ${fmt(plugin.max)}`);
  console.log(`  added at p50: ${fmt(plugin.p50 - builtin.p50)} (goal < 500 µs)`);
  console.log(`  throughput, ${BATCH} in flight: built-in ${builtinRate.toFixed(0)}/s, plugin ${pluginRate.toFixed(0)}/s (1 sandbox host)`);
}

await main();
