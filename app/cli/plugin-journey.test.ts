import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRuntime } from '../../runtime/testing/harness.js';
import type { Runtime } from '../../runtime/types.js';
import { serveTestApi, type Body, type TestApi } from '../server/test-api.server.js';
import type { CliIo } from './io.js';
import { main } from './main.js';

/**
 * A plugin author's whole journey, outside the checkout, with only public npm packages and what
 * this installation builds: `switchyard plugin new` → the commands it prints, run as printed (npm
 * install from the registry, the plugin's own tests in the real sandbox, pack) → the install calls
 * it prints, against a running Switchyard → the node is in the catalog (the palette) and runs.
 */

const exec = promisify(execFile);
const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-plugin-journey-')));
let runtime: Runtime;
let http: TestApi;

beforeAll(async () => {
  runtime = await startTestRuntime();
  http = await serveTestApi(runtime, 'plugin journey');
}, 60_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The lines printed after `header` that are indented, without their `# comments`. */
function commandsAfter(printed: string, header: string): string[] {
  const lines = printed.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  expect(start, `"${header}" in:\n${printed}`).toBeGreaterThanOrEqual(0);
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    block.push(line.replace(/\s+#.*$/, '').trim());
  }
  return block;
}

/**
 * An environment like a fresh terminal's: nothing of this test runner's (vitest's own variables
 * would change how the plugin's vitest behaves) and npm's settings for a shared, busy machine.
 */
const shellEnv: NodeJS.ProcessEnv = {
  NODE_ENV: 'test', PATH: process.env.PATH, HOME: process.env.HOME ?? os.homedir(), LANG: 'C.UTF-8', CI: '1', NO_COLOR: '1',
  npm_config_audit: 'false', npm_config_fund: 'false', npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false',
};

async function sh(command: string): Promise<string> {
  try {
    const { stdout, stderr } = await exec('sh', ['-c', command], { cwd: work, env: shellEnv, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`\`${command}\` failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

/** One printed `curl -X METHOD URL [-H 'k: v']… [--data @file]`, sent with fetch (curl is not on every machine). */
async function curl(line: string, cwd: string): Promise<Response> {
  const words = [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').replaceAll('$SWITCHYARD_API_KEY', http.key));
  expect(words[0]).toBe('curl');
  let method = 'GET';
  let url = '';
  const headers: Record<string, string> = {};
  let body: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-X') method = words[++i]!;
    else if (word === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      headers[name!.trim().toLowerCase()] = value.join(':').trim();
    } else if (word === '--data') body = fs.readFileSync(path.join(cwd, words[++i]!.replace(/^@/, '')), 'utf8');
    else url = word;
  }
  return fetch(url, { method, headers, body });
}

it('takes a plugin from `switchyard plugin new` to a node that runs in a flow, outside the checkout', async () => {
  // 1. Scaffold, from a folder outside the checkout, pointing the printed API calls at this server.
  const out: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: work, onStop: () => () => {},
    env: { ...process.env, SWITCHYARD_PUBLIC_URL: http.base },
  };
  expect(await main(['plugin', 'new', 'hello-journey'], io)).toBe(0);
  const printed = out.join('\n');
  const dir = path.join(work, 'hello-journey');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  // What it depends on is public npm packages and files this installation built.
  for (const spec of [pkg.devDependencies['@switchyard/sdk'], pkg.devDependencies['@switchyard/plugin-testing']]) {
    expect(spec).toMatch(/^file:\//);
    expect(fs.existsSync(spec!.slice('file:'.length))).toBe(true);
  }

  // 2. The next commands, exactly as printed: install, the plugin's own tests (real sandbox), pack.
  const next = commandsAfter(printed, 'next:');
  expect(next).toEqual([`cd ${dir}`, 'npm install', 'npm test', 'npm run pack']);
  const [cd, ...steps] = next;
  const logs: Record<string, string> = {};
  for (const step of steps) logs[step] = await sh(`${cd} && ${step}`);
  expect(logs['npm test']).toMatch(/Tests\s+1 passed/);
  expect(logs['npm test']).not.toMatch(/failed/);
  expect(fs.existsSync(path.join(dir, 'node_modules', 'isolated-vm')), 'the plugin must not compile isolated-vm of its own').toBe(false);
  expect(logs['npm run pack']).toContain('hello-journey@0.1.0: hello-journey.greet@1');
  const packed = JSON.parse(fs.readFileSync(path.join(dir, 'switchyard-plugin.json'), 'utf8')) as Body;
  expect(packed.manifest).toMatchObject({ name: 'hello-journey', version: '0.1.0', nodes: [{ type: 'hello-journey.greet', version: 1 }] });

  // 3. Install into the running Switchyard with the printed calls: the node joins the palette.
  const install = commandsAfter(printed, 'then install');
  expect(install).toHaveLength(2);
  const installed = await curl(install[0]!, dir);
  expect(installed.status).toBe(201);
  expect(await installed.json()).toMatchObject({ name: 'hello-journey', version: '0.1.0', approved: false });
  expect((await http.api('GET', '/api/nodes')).body.some((n: Body) => n.type === 'hello-journey.greet')).toBe(false);
  expect((await curl(install[1]!, dir)).status).toBe(200);
  const catalog = (await http.api('GET', '/api/nodes')).body as Body[];
  expect(catalog.find((n) => n.type === 'hello-journey.greet')).toMatchObject({
    version: 1, title: 'Greet', category: 'hello-journey', propsSchema: { properties: { greeting: { default: 'Hello', title: 'Greeting' } } },
  });

  // 4. A flow using it runs and gives the plugin's answer.
  const created = await http.api('POST', '/api/flows', {
    format: 'switchyard/flow@1', name: 'Greets', credentials: {},
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
      { id: 'greet', type: 'hello-journey.greet', typeVersion: 1, position: { x: 200, y: 0 }, props: { greeting: 'Hi' } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'greet' }],
  });
  expect(created.status).toBe(201);
  const run = await http.api('POST', `/api/flows/${created.body.id}/run`, { input: { name: 'Ada' } });
  expect(run.status).toBe(202);
  let execution: Body;
  await expect.poll(async () => {
    execution = (await http.api('GET', `/api/executions/${run.body.executionId}`)).body;
    return execution.status;
  }, { timeout: 30_000 }).toMatch(/succeeded|failed|cancelled/);
  expect(execution.status).toBe('succeeded');
  expect(execution.steps.find((s: Body) => s.nodeId === 'greet')?.output).toEqual({ main: { message: 'Hi, Ada!' } });
}, 900_000);

it('refuses a name that cannot be a plugin name, and a folder that is not empty', async () => {
  const err: string[] = [];
  const io: CliIo = { stdout: () => {}, stderr: (t) => err.push(t), cwd: work, onStop: () => () => {}, env: process.env };
  expect(await main(['plugin', 'new', '__'], io)).toBe(1);
  expect(err.pop()).toMatch(/"__" is not a valid plugin name/);
  fs.mkdirSync(path.join(work, 'taken'));
  fs.writeFileSync(path.join(work, 'taken', 'notes.txt'), 'mine');
  expect(await main(['plugin', 'new', 'taken'], io)).toBe(1);
  expect(err.pop()).toBe(`switchyard: ${path.join(work, 'taken')} is not empty`);
  expect(fs.readdirSync(path.join(work, 'taken'))).toEqual(['notes.txt']);
}, 120_000);
