import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { parseCommand, UsageError } from './args.js';
import type { CliIo } from './io.js';
import { main } from './main.js';

/** `switchyard import --from n8n <file>` against a real database (decision 039). */
const config = testConfig();
const env: NodeJS.ProcessEnv = {
  NODE_ENV: 'test', DATABASE_URL: config.databaseUrl, SWITCHYARD_DB_SCHEMA: config.databaseSchema, REDIS_URL: config.redisUrl,
  SWITCHYARD_REDIS_PREFIX: config.redisPrefix, SWITCHYARD_ENCRYPTION_KEY: config.encryptionKey, LOG_LEVEL: 'silent',
};
let dir: string;
let runtime: Runtime;

function session() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: dir, onStop: () => () => undefined };
  return { io, out, err };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-n8n-cli-'));
  env.SWITCHYARD_DATA_DIR = dir;
  runtime = await createRuntime(config);
  fs.copyFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../runtime/import/n8n/corpus/0145_Manual_Send_Triggered.json'), path.join(dir, 'n8n.json'));
  fs.writeFileSync(path.join(dir, 'proto.json'), '{"nodes":[],"connections":{},"__proto__":{"x":1}}');
  fs.writeFileSync(path.join(dir, 'broken.json'), '{"nodes": [');
});

afterAll(async () => {
  await runtime?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('switchyard import --from n8n', () => {
  it('parses --from n8n and refuses other sources', () => {
    expect(parseCommand(['import', '--from', 'n8n', 'w.json'])).toEqual({ name: 'import', file: 'w.json', from: 'n8n' });
    expect(parseCommand(['import', 'flow.json'])).toEqual({ name: 'import', file: 'flow.json' });
    expect(() => parseCommand(['import', '--from', 'zapier', 'w.json'])).toThrow(UsageError);
  });

  it('creates an inactive flow, prints its id, and the report on stderr', async () => {
    const s = session();
    expect(await main(['import', '--from', 'n8n', 'n8n.json'], s.io)).toBe(0);
    const flowId = s.out[0]!;
    const flow = await runtime.flows.get('default', flowId);
    expect(flow.active).toBe(false);
    expect(flow.document.nodes.map((n) => n.type)).toEqual(['core.manual-trigger', 'core.code', 'core.set']);
    expect(s.err[0]).toMatch(/n8n workflow ".*": 3 nodes: \d+ mapped, \d+ mapped with changes, 0 not mapped/);
    expect(s.err.join('\n')).toMatch(/review before activating \(imported code\)/);
  });

  it('refuses unsafe or broken files in one line', async () => {
    for (const [file, message] of [['proto.json', /"__proto__" is not allowed/], ['broken.json', /not JSON/], ['none.json', /no such file/]] as const) {
      const s = session();
      expect(await main(['import', '--from', 'n8n', file], s.io)).toBe(1);
      expect(s.err.join('\n')).toMatch(message);
      expect(s.err.join('\n')).not.toMatch(/\n\s+at /);
    }
  });
});
