// `npm run bench` — the webhook benchmark (issue 2, item 19). It measures; it does not pass or fail
// on a figure (it exits non-zero only when it could not measure at all).
//
// Starts real Postgres 15 + Redis, then `switchyard web` and `switchyard worker` as two processes,
// creates flows through the HTTP API, and drives POST /hooks/<path> on 127.0.0.1 with a closed-loop
// keep-alive generator. Prints:
//   1. sync webhook → Code → Respond at 1 and 20 connections: requests/s, p50/p90/p99/max latency;
//   2. node runs/s for a 10-node chain (webhook + 9 Set), synchronously and queued (202, drained);
//   3. the latency a Code step adds compared with a Set step (p50 at 1 connection);
//   4. CPU ms per execution of web, worker, sandbox hosts, Postgres, Redis and the generator itself
//      (from /proc utime+stime deltas) — what bounds the throughput;
//   5. RSS (and peak) of web, worker and its sandbox hosts after the load.
//
// The two headline phases run BENCH_ROUNDS times (default 3; the extra rounds after the chain phases,
// so they sample the machine at different moments): the headline prints the median and the range,
// because on a shared VM one run moves by ±10–15%.
// Postgres and Redis run as the tests run them (no fsync, no AOF) unless BENCH_DURABLE=1, which
// gives them production durability (fsync on; AOF synced every second, as docker-compose.yml does).
// BENCH_QUICK=1 runs a fifth of the requests (for checking the harness); BENCH_RESULTS=<file> also
// writes the figures as JSON there; BENCH_PROFILE=1 runs web and worker under `--cpu-prof` and prints
// where their CPU time went (profiling slows them: its throughput figures are not the real ones).
// Web and worker reach Postgres and Redis over Unix sockets, as on one host (decision 011);
// BENCH_TRANSPORT=tcp uses 127.0.0.1 instead. BENCH_TOPOLOGY=one runs `switchyard start` (web and
// worker in one process, as `npm start` does) instead of two processes.
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { runLoad, type LoadResult, type RawResponse } from './_load.js';
import { openStoreProbe, storeDelta, type StoreDelta, type StoreProbe } from './_probes.js';
import { cpuMs, machineCpu, memory, treeCpuMs } from './_proc.js';
import { summariseProfile } from './_profile.js';
import { root, startSystem, type System } from './_system.js';

const quick = process.env.BENCH_QUICK === '1';
/** Rounds of the two headline phases. Default: 3 (1 with BENCH_QUICK). */
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3)) || 1);
const profile = process.env.BENCH_PROFILE === '1';
const scale = (n: number) => (quick ? Math.max(50, Math.round(n / 5)) : n);

// ---------------------------------------------------------------------------------------------
// Flows (switchyard/flow@1), created and activated through the API.

type NodeDoc = { id: string; type: string; typeVersion: number; position: { x: number; y: number }; props: Record<string, unknown> };

function node(id: string, type: string, x: number, props: Record<string, unknown>): NodeDoc {
  return { id, type, typeVersion: 1, position: { x, y: 0 }, props };
}

function chain(name: string, nodes: NodeDoc[]) {
  return {
    format: 'switchyard/flow@1',
    name,
    nodes,
    edges: nodes.slice(1).map((n, k) => ({ id: `e${k}`, source: nodes[k]!.id, sourceHandle: 'main', target: n.id, targetHandle: 'main' })),
  };
}

const webhook = (path: string, respond: string) => node('in', 'core.webhook', 0, { path, method: 'POST', respond });
const respond = (x: number) => node('reply', 'core.respond', x, { status: 200, body: '{{ $json }}' });

const flows = {
  /** The headline flow: webhook → Code → Respond. */
  code: chain('bench: webhook → code → respond', [
    webhook('bench-sum', 'respondNode'),
    node('sum', 'core.code', 240, { code: 'return { sum: $json.body.a + $json.body.b };' }),
    respond(480),
  ]),
  /** Same, the middle step a Set building the same object with an expression (evaluated in the sandbox). */
  setExpr: chain('bench: webhook → set (expression) → respond', [
    webhook('bench-sum-set', 'respondNode'),
    node('sum', 'core.set', 240, { fields: [{ name: 'sum', value: '{{ $json.body.a + $json.body.b }}' }] }),
    respond(480),
  ]),
  /** Set with plain property paths only (the expression fast path; no sandbox call at all). */
  setPath: chain('bench: webhook → set (paths) → respond', [
    webhook('bench-copy-set', 'respondNode'),
    node('copy', 'core.set', 240, { fields: [{ name: 'a', value: '{{ $json.body.a }}' }, { name: 'b', value: '{{ $json.body.b }}' }] }),
    respond(480),
  ]),
  /** 10 nodes: webhook + 9 Set, answering with the last node's output. */
  chainSync: chain('bench: 10-node chain (sync)', [webhook('bench-chain', 'lastNode'), ...nineSets()]),
  /** The same chain answering 202 at once; the run happens on the worker afterwards. */
  chainAsync: chain('bench: 10-node chain (queued)', [webhook('bench-chain-async', 'immediately'), ...nineSets()]),
};

function nineSets(): NodeDoc[] {
  return Array.from({ length: 9 }, (_, k) =>
    node(`s${k + 1}`, 'core.set', 240 * (k + 1), {
      fields: [
        { name: 'v', value: k === 0 ? '{{ $json.body.a }}' : '{{ $json.v }}' },
        { name: 'step', value: k + 1 },
      ],
    }));
}

// ---------------------------------------------------------------------------------------------
// Request bodies and response checks.

const operands = (i: number) => ({ a: (i * 7) % 1000, b: (i * 13) % 1000 });
const sumBody = (i: number) => JSON.stringify(operands(i));

function parse(response: RawResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}

function expectStatus(response: RawResponse, status: number): true | string {
  return response.status === status ? true : `HTTP ${response.status}: ${response.body.slice(0, 160)}`;
}

const checks = {
  sum: (response: RawResponse, i: number) => {
    const ok = expectStatus(response, 200);
    if (ok !== true) return ok;
    const { a, b } = operands(i);
    const body = parse(response) as { sum?: unknown } | undefined;
    return body?.sum === a + b ? true : `wrong body: ${response.body.slice(0, 160)} (expected {"sum":${a + b}})`;
  },
  copy: (response: RawResponse, i: number) => {
    const ok = expectStatus(response, 200);
    if (ok !== true) return ok;
    const { a, b } = operands(i);
    const body = parse(response) as { a?: unknown; b?: unknown } | undefined;
    return body?.a === a && body?.b === b ? true : `wrong body: ${response.body.slice(0, 160)} (expected {"a":${a},"b":${b}})`;
  },
  chain: (response: RawResponse, i: number) => {
    const ok = expectStatus(response, 200);
    if (ok !== true) return ok;
    const body = parse(response) as { v?: unknown; step?: unknown } | undefined;
    return body?.v === operands(i).a && body?.step === 9 ? true : `wrong body: ${response.body.slice(0, 160)}`;
  },
  accepted: (response: RawResponse) => {
    const ok = expectStatus(response, 202);
    if (ok !== true) return ok;
    const body = parse(response) as { executionId?: unknown } | undefined;
    return typeof body?.executionId === 'string' ? true : `no executionId: ${response.body.slice(0, 160)}`;
  },
};

// ---------------------------------------------------------------------------------------------
// CPU accounting over a phase.

interface CpuSnapshot {
  web: number;
  worker: number;
  sandbox: number;
  postgres: number;
  redis: number;
  generator: number;
  machineBusy: number;
  machineTotal: number;
  at: number;
}

function cpuSnapshot(sys: System): CpuSnapshot {
  const worker = cpuMs(sys.worker.pid);
  const generator = process.cpuUsage();
  const machine = machineCpu();
  return {
    web: cpuMs(sys.web.pid)?.self ?? 0,
    // One process (BENCH_TOPOLOGY=one): its CPU is all under "web".
    worker: sys.worker.pid === sys.web.pid ? 0 : worker?.self ?? 0,
    // Sandbox hosts are the worker's children; replaced (reaped) ones are in the worker's cutime.
    sandbox: sys.sandboxHosts().reduce((sum, pid) => sum + (cpuMs(pid)?.self ?? 0), 0) + (worker?.children ?? 0),
    postgres: sys.postgresPid ? treeCpuMs(sys.postgresPid) : NaN,
    redis: sys.redisPid ? treeCpuMs(sys.redisPid) : NaN,
    generator: (generator.user + generator.system) / 1000,
    machineBusy: machine.busy,
    machineTotal: machine.total,
    at: performance.now(),
  };
}

interface CpuBreakdown {
  /** CPU ms per execution, by process. */
  perExecutionMs: Record<'web' | 'worker' | 'sandbox' | 'postgres' | 'redis' | 'generator' | 'total', number>;
  /** Cores busy on average over the phase (whole machine, all processes), out of os.cpus().length. */
  machineCores: number;
  /** Cores used by each process, on average over the phase. */
  cores: Record<'web' | 'worker' | 'sandbox' | 'postgres' | 'redis' | 'generator', number>;
}

function cpuBreakdown(before: CpuSnapshot, after: CpuSnapshot, executions: number): CpuBreakdown {
  const wallMs = after.at - before.at;
  const keys = ['web', 'worker', 'sandbox', 'postgres', 'redis', 'generator'] as const;
  const perExecutionMs = {} as CpuBreakdown['perExecutionMs'];
  const cores = {} as CpuBreakdown['cores'];
  let total = 0;
  for (const key of keys) {
    const used = after[key] - before[key];
    perExecutionMs[key] = used / executions;
    cores[key] = used / wallMs;
    if (key !== 'generator') total += used;
  }
  perExecutionMs.total = total / executions;
  const ncpu = os.cpus().length;
  const machineCores = ((after.machineBusy - before.machineBusy) / Math.max(1, after.machineTotal - before.machineTotal)) * ncpu;
  return { perExecutionMs, machineCores, cores };
}

// ---------------------------------------------------------------------------------------------
// Phases.

interface Phase {
  name: string;
  load: LoadResult;
  cpu?: CpuBreakdown;
  /** Postgres and Redis work per execution over the phase. */
  stores?: StoreDelta;
  executions?: number;
  /** For the queued chain: executions finished per second, from the first request to the last finish. */
  drained?: { executions: number; seconds: number; perSecond: number; failed: number; succeeded: number };
}

async function drive(sys: System, path: string, connections: number, maxRequests: number, maxSeconds: number, check: (r: RawResponse, i: number) => true | string): Promise<LoadResult> {
  return runLoad({ host: sys.host, port: sys.port, path: `/hooks/${path}`, connections, maxRequests, maxSeconds, body: sumBody, check });
}

async function measured(sys: System, probe: StoreProbe, name: string, run: () => Promise<LoadResult>): Promise<Phase> {
  const storesBefore = await probe.snapshot();
  const before = cpuSnapshot(sys);
  const load = await run();
  const after = cpuSnapshot(sys);
  const storesAfter = await probe.snapshot();
  const executions = Math.max(1, load.requests - load.errors);
  return { name, load, executions, cpu: cpuBreakdown(before, after, executions), stores: storeDelta(storesBefore, storesAfter) };
}

/**
 * Counts a flow's executions in one status by paging GET /api/executions (newest first). The service
 * returns at most 200 per page and `before` is an exclusive ISO time, so each page asks for "before
 * the last seen time + 1 ms" and ids are de-duplicated: executions created in the same millisecond
 * are not skipped.
 */
async function countExecutions(sys: System, flowId: string, status: string): Promise<number> {
  const seen = new Set<string>();
  let before: string | undefined;
  for (;;) {
    const page = await sys.api<{ id: string; createdAt: string }[]>('GET',
      `/api/executions?flowId=${flowId}&status=${status}&limit=200${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    const size = seen.size;
    for (const e of page) seen.add(e.id);
    if (page.length === 0 || seen.size === size) break;
    before = new Date(Date.parse(page[page.length - 1]!.createdAt) + 1).toISOString();
  }
  return seen.size;
}

async function queuedChain(sys: System, probe: StoreProbe, flowId: string, requests: number): Promise<Phase> {
  const storesBefore = await probe.snapshot();
  const before = cpuSnapshot(sys);
  const started = performance.now();
  const load = await drive(sys, 'bench-chain-async', 20, requests, 60, checks.accepted);
  // Wait until nothing of this flow is queued or running any more.
  const deadline = performance.now() + 120_000;
  for (;;) {
    const [queued, running] = await Promise.all([
      sys.api<unknown[]>('GET', `/api/executions?flowId=${flowId}&status=queued&limit=1`),
      sys.api<unknown[]>('GET', `/api/executions?flowId=${flowId}&status=running&limit=1`),
    ]);
    if (queued.length === 0 && running.length === 0) break;
    if (performance.now() > deadline) throw new Error('queued chain executions did not finish within 120 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const after = cpuSnapshot(sys);
  const storesAfter = await probe.snapshot();
  const [succeeded, failed] = await Promise.all([countExecutions(sys, flowId, 'succeeded'), countExecutions(sys, flowId, 'failed')]);
  return {
    name: 'chain, queued (202 + drain)',
    load,
    executions: Math.max(1, succeeded),
    cpu: cpuBreakdown(before, after, Math.max(1, succeeded)),
    stores: storeDelta(storesBefore, storesAfter),
    drained: { executions: succeeded + failed, seconds, perSecond: succeeded / seconds, failed, succeeded },
  };
}

// ---------------------------------------------------------------------------------------------
// Printing.

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function errorsNote(phases: Phase[]): string {
  const lines: string[] = [];
  for (const p of phases) {
    if (p.load.errors === 0) continue;
    lines.push(`  ${p.name}: ${p.load.errors} errors`);
    for (const [reason, count] of Object.entries(p.load.errorSamples)) lines.push(`    ${count}× ${reason}`);
  }
  return lines.length ? `\nErrors (counted, not fatal):\n${lines.join('\n')}` : '';
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const startedAt = performance.now();
  const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const machineBefore = machineCpu();
  const profileDir = profile ? fs.mkdtempSync(`${os.tmpdir()}/sy-bench-prof-`) : undefined;
  const sys = await startSystem(profileDir ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {});
  let probe: StoreProbe | undefined;
  try {
    probe = await openStoreProbe(sys.databaseUrl, sys.redisUrl);
    const onePid = sys.worker.pid === sys.web.pid;
    const idle = { web: memory(sys.web.pid), worker: onePid ? undefined : memory(sys.worker.pid) };
    process.stderr.write(`  · product up at ${sys.baseUrl} (web pid ${sys.web.pid}, worker pid ${sys.worker.pid}, ` +
      `postgres pid ${sys.postgresPid ?? '?'}, redis pid ${sys.redisPid ?? '?'}) after ${fmt((performance.now() - startedAt) / 1000)} s\n`);

    const ids: Record<keyof typeof flows, string> = {} as never;
    for (const [key, document] of Object.entries(flows) as [keyof typeof flows, unknown][]) {
      const created = await sys.api<{ id: string }>('POST', '/api/flows', document);
      await sys.api('POST', `/api/flows/${created.id}/activate`);
      ids[key] = created.id;
    }
    process.stderr.write('  · 5 flows created and activated; warming up\n');

    // Warm-up: JIT, connection pools, sandbox contexts, compiled scripts. A warm-up that fails outright
    // is the product not working yet: say so with the first failing response and stop.
    const warm = [
      await drive(sys, 'bench-sum', 1, 20, 20, checks.sum),
      await drive(sys, 'bench-sum', 20, scale(1000), 20, checks.sum),
      await drive(sys, 'bench-sum-set', 4, scale(300), 20, checks.sum),
      await drive(sys, 'bench-copy-set', 4, scale(300), 20, checks.copy),
      await drive(sys, 'bench-chain', 20, scale(500), 20, checks.chain),
    ];
    const broken = warm.find((w) => w.errors === w.requests);
    if (broken) {
      throw new Error(`warm-up requests all failed: ${JSON.stringify(broken.errorSamples)}`);
    }

    const phases: Phase[] = [];
    process.stderr.write('  · webhook → code → respond, 1 connection\n');
    phases.push(await measured(sys, probe!, 'code flow, 1 conn', () => drive(sys, 'bench-sum', 1, scale(1500), 10, checks.sum)));
    process.stderr.write('  · webhook → code → respond, 20 connections\n');
    phases.push(await measured(sys, probe!, 'code flow, 20 conn', () => drive(sys, 'bench-sum', 20, scale(10_000), 15, checks.sum)));

    process.stderr.write('  · code vs set, 1 connection\n');
    const codeVsSet = {
      code: await measured(sys, probe!, 'code step, 1 conn', () => drive(sys, 'bench-sum', 1, scale(1000), 8, checks.sum)),
      setExpr: await measured(sys, probe!, 'set (expression), 1 conn', () => drive(sys, 'bench-sum-set', 1, scale(1000), 8, checks.sum)),
      setPath: await measured(sys, probe!, 'set (paths only), 1 conn', () => drive(sys, 'bench-copy-set', 1, scale(1000), 8, checks.copy)),
    };
    phases.push(codeVsSet.code, codeVsSet.setExpr, codeVsSet.setPath);

    process.stderr.write('  · 10-node chain, sync, 20 connections\n');
    phases.push(await measured(sys, probe!, 'chain (10 nodes), 20 conn', () => drive(sys, 'bench-chain', 20, scale(8000), 12, checks.chain)));
    process.stderr.write('  · 10-node chain, queued, 20 connections + drain\n');
    phases.push(await queuedChain(sys, probe, ids.chainAsync, scale(5000)));

    // More rounds of the headline phases (the first round is phases[0] and phases[1]).
    const headline = { one: [phases[0]!.load], twenty: [phases[1]!.load] };
    for (let round = 2; round <= rounds; round++) {
      process.stderr.write(`  · headline phases, round ${round} of ${rounds}\n`);
      headline.one.push(await drive(sys, 'bench-sum', 1, scale(1500), 10, checks.sum));
      headline.twenty.push(await drive(sys, 'bench-sum', 20, scale(10_000), 15, checks.sum));
    }

    // Memory after the load.
    const hosts = sys.sandboxHosts();
    const mem = {
      web: memory(sys.web.pid),
      worker: onePid ? undefined : memory(sys.worker.pid),
      sandboxHosts: hosts.map((pid) => ({ pid, ...memory(pid) })),
    };
    const hostRss = mem.sandboxHosts.reduce((s, h) => s + (h.rss ?? 0), 0);
    const hostHwm = mem.sandboxHosts.reduce((s, h) => s + (h.hwm ?? 0), 0);

    // ---- Print.
    const out: string[] = [];
    out.push('', `Switchyard webhook benchmark — ${os.cpus().length} cores, Node ${process.version}, Postgres 15 + Redis on 127.0.0.1, ${sys.durable ? 'stores durable (Postgres fsync on, Redis AOF everysec)' : 'stores without fsync or AOF (BENCH_DURABLE=1 for production durability)'}${quick ? ' (BENCH_QUICK: 1/5 of the requests)' : ''}`, '');
    out.push(table(
      ['phase', 'conns', 'requests', 'errors', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      phases.map((p) => [p.name, String(p.load.connections), String(p.load.requests), String(p.load.errors), fmt(p.load.rps, 0),
        fmt(p.load.latencyMs.p50, 2), fmt(p.load.latencyMs.p90, 2), fmt(p.load.latencyMs.p99, 2), fmt(p.load.latencyMs.max, 1)]),
    ));
    out.push(errorsNote(phases));

    const chainSync = phases[5]!;
    const chainQueued = phases[6]!;
    // Median [min–max] over the rounds; one round prints just the value.
    const spread = (values: number[], digits: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
      return sorted.length === 1 ? fmt(median, digits) : `${fmt(median, digits)} [${fmt(sorted[0]!, digits)}–${fmt(sorted[sorted.length - 1]!, digits)}]`;
    };
    out.push('', rounds === 1 ? 'Headline' : `Headline (webhook→code→respond: median [min–max] of ${rounds} rounds)`);
    out.push(table(['figure', 'value', 'goal'], [
      ['webhook→code→respond, 20 conn', `${spread(headline.twenty.map((l) => l.rps), 0)} req/s, p99 ${spread(headline.twenty.map((l) => l.latencyMs.p99), 1)} ms`, '≥ 1,000 req/s, p99 < 50 ms'],
      ['webhook→code→respond, 1 conn', `p50 ${spread(headline.one.map((l) => l.latencyMs.p50), 2)} ms`, '< 2 ms'],
      ['10-node chain, sync 20 conn', `${fmt(chainSync.load.rps * 10, 0)} node runs/s (${fmt(chainSync.load.rps, 0)} exec/s)`, ''],
      ['10-node chain, queued + drained', `${fmt((chainQueued.drained?.perSecond ?? NaN) * 10, 0)} node runs/s (${chainQueued.drained?.succeeded} ok, ${chainQueued.drained?.failed} failed in ${fmt(chainQueued.drained?.seconds ?? NaN)} s)`, ''],
      ['Code step − Set(expression) step, p50', `${fmt(codeVsSet.code.load.latencyMs.p50 - codeVsSet.setExpr.load.latencyMs.p50, 3)} ms`, ''],
      ['Code step − Set(paths) step, p50', `${fmt(codeVsSet.code.load.latencyMs.p50 - codeVsSet.setPath.load.latencyMs.p50, 3)} ms`, ''],
    ]));

    out.push('', 'CPU ms per execution (utime+stime deltas from /proc; "cores" = average cores busy over the phase)');
    out.push(table(
      ['phase', 'web', 'worker', 'sandbox', 'postgres', 'redis', 'sum', 'generator', 'machine cores'],
      phases.filter((p) => p.cpu).map((p) => {
        const c = p.cpu!.perExecutionMs;
        return [p.name, fmt(c.web, 3), fmt(c.worker, 3), fmt(c.sandbox, 3), fmt(c.postgres, 3), fmt(c.redis, 3), fmt(c.total, 3), fmt(c.generator, 3), `${fmt(p.cpu!.machineCores, 2)}/${os.cpus().length}`];
      }),
    ));
    out.push('', 'Cores used by each process, 20-connection phases');
    out.push(table(
      ['phase', 'web', 'worker', 'sandbox', 'postgres', 'redis', 'generator'],
      phases.filter((p) => p.cpu && p.load.connections === 20).map((p) => {
        const c = p.cpu!.cores;
        return [p.name, fmt(c.web, 2), fmt(c.worker, 2), fmt(c.sandbox, 2), fmt(c.postgres, 2), fmt(c.redis, 2), fmt(c.generator, 2)];
      }),
    ));

    out.push('', 'Store work per execution (Postgres: write transactions from the xid counter, WAL bytes, commits ≈ from pg_stat_database; Redis: INFO commandstats)');
    out.push(table(
      ['phase', 'pg write tx', 'commits≈', 'WAL KB', 'rows ins/upd/del', 'redis cmds', 'top redis commands (per execution)'],
      phases.filter((p) => p.stores).map((p) => {
        const d = p.stores!;
        const n = p.executions ?? 1;
        return [p.name, fmt(d.writeTransactions / n, 2), fmt(d.commitsApprox / n, 2), fmt(d.walBytes / n / 1024, 1),
          `${fmt(d.rowsInserted / n)}/${fmt(d.rowsUpdated / n)}/${fmt(d.rowsDeleted / n)}`, fmt(d.redisCommands / n, 1),
          d.redisTop.slice(0, 5).map(([c, k]) => `${c} ${fmt(k / n)}`).join(', ')];
      }),
    ));

    const ncpu = os.cpus().length;
    out.push('', `Capacity if the product had the ${ncpu} cores to itself (${ncpu} × 1000 ms ÷ CPU ms per execution incl. generator) vs the design budget (≈ 2 ms per execution → 1,000/s)`);
    out.push(table(['phase', 'CPU ms/exec', 'exec/s ceiling', 'measured exec/s'], phases.filter((p) => p.cpu && p.load.connections === 20).map((p) => {
      const perExec = p.cpu!.perExecutionMs.total + p.cpu!.perExecutionMs.generator;
      const measuredRate = p.drained ? p.drained.perSecond : p.load.rps;
      return [p.name, fmt(perExec, 2), fmt((ncpu * 1000) / perExec, 0), fmt(measuredRate, 0)];
    })));

    out.push('', 'Memory after the load (VmRSS; peak VmHWM)');
    const memRows: string[][] = [
      ['web', mb(mem.web?.rss ?? NaN), mb(mem.web?.hwm ?? NaN)],
      ['worker', mb(mem.worker?.rss ?? NaN), mb(mem.worker?.hwm ?? NaN)],
      ...mem.sandboxHosts.map((h) => [`sandbox host ${h.pid}`, mb(h.rss ?? NaN), mb(h.hwm ?? NaN)]),
      ['web (idle, after start)', mb(idle.web?.rss ?? NaN), ''],
      ['worker (idle, after start)', mb(idle.worker?.rss ?? NaN), ''],
      ['web + worker', mb((mem.web?.rss ?? 0) + (mem.worker?.rss ?? 0)), mb((mem.web?.hwm ?? 0) + (mem.worker?.hwm ?? 0))],
      ['web + worker + sandbox hosts', mb((mem.web?.rss ?? 0) + (mem.worker?.rss ?? 0) + hostRss), mb((mem.web?.hwm ?? 0) + (mem.worker?.hwm ?? 0) + hostHwm)],
    ];
    out.push(table(['process', 'RSS', 'peak'], memRows));
    const loadAfter = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    out.push('', `(goal: web + worker < 300 MB RSS; total run ${fmt((performance.now() - startedAt) / 1000)} s)`);
    const machineAfter = machineCpu();
    const stolen = (100 * (machineAfter.steal - machineBefore.steal)) / Math.max(1, machineAfter.total - machineBefore.total);
    out.push(`Machine load average before / after: ${loadBefore} / ${loadAfter}; CPU time stolen by the hypervisor during the run: ${fmt(stolen, 1)}%.` +
      (Number(loadBefore.split(' ')[0]) > 1 || stolen > 2 ? ' Other work was running: req/s and latency are pessimistic; CPU ms per execution and store work per execution hold better.' : ''));
    if (profile) out.push('BENCH_PROFILE=1: web and worker ran under --cpu-prof, which slows them; use the profile below, not these rates.');
    out.push('');
    process.stdout.write(out.join('\n'));

    if (process.env.BENCH_RESULTS) {
      fs.writeFileSync(process.env.BENCH_RESULTS, JSON.stringify({ date: new Date().toISOString(), quick, phases, headline, memory: mem }, null, 2));
      process.stdout.write(`figures written to ${process.env.BENCH_RESULTS}\n`);
    }
    return 0;
  } finally {
    process.stderr.write('  · stopping web, worker, Redis, Postgres\n');
    await probe?.close();
    await sys.stop();
    if (profileDir) {
      printProfiles(profileDir, { [sys.web.pid]: 'web', [sys.worker.pid]: 'worker' });
      fs.rmSync(profileDir, { recursive: true, force: true });
    }
  }
}

/** Self time by package/file and the hottest functions, per profiled process (written at its exit). */
function printProfiles(dir: string, names: Record<number, string>): void {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => `${dir}/${f}`);
  if (files.length === 0) {
    process.stdout.write('\nno CPU profiles were written (a process did not exit cleanly?)\n');
    return;
  }
  for (const file of files) {
    const summary = summariseProfile(file, root, 15);
    if (summary.totalMs < 2000) continue; // tsx's loader thread, short-lived helpers
    const pct = (ms: number) => `${((ms / summary.totalMs) * 100).toFixed(1)}%`;
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
    const pid = Number(file.split('/').pop()!.split('.')[3]);
    process.stdout.write(`\nCPU profile of ${names[pid] ?? `pid ${pid}`} (${fmt(summary.totalMs / 1000)} s busy; self time, idle excluded)\n`);
    process.stdout.write(table(['by package / file', 'ms', 'share'], summary.byOwner.map(([k, v]) => [k, fmt(v, 0), pct(v)])) + '\n');
    process.stdout.write(table(['hottest functions', 'ms', 'share'], summary.byFunction.map(([k, v]) => [k.slice(0, 110), fmt(v, 0), pct(v)])) + '\n');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`webhook benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
