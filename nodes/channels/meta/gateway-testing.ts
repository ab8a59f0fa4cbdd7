import net from 'node:net';
import { afterAll } from 'vitest';
import { createHttpServer } from '../../../app/server/http.server.js';
import { startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';

/** A free port, so the runtime's public URL (where Meta must deliver) is known before it starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A runtime with a worker, served over HTTP on 127.0.0.1 at its public URL (closed after the file). */
export async function servedRuntime(): Promise<{ runtime: Runtime; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const runtime = await startTestRuntime({ publicUrl: base });
  const server = await createHttpServer(runtime, { closeGraceMs: 1000 }).listen(port, '127.0.0.1');
  afterAll(() => server.close());
  return { runtime, base };
}

/** An account's callback URL and verify token, as the editor shows them. */
export async function callbackOf(runtime: Runtime, credentialId: string): Promise<{ url: string; verifyToken: string; label: string }> {
  const info = await runtime.inbound.accountInfo(WS, credentialId);
  if (!info?.verifyToken) throw new Error('the account has no callback URL and verify token');
  return { url: info.callbackUrl, verifyToken: info.verifyToken.value, label: info.verifyToken.label };
}

/** The account's recorded channel events. */
export async function recordedEvents(runtime: Runtime, credentialId: string): Promise<number> {
  const [row] = await runtime.knex('channel_events').where({ credential_id: credentialId }).count<{ n: string }[]>({ n: '*' });
  return Number(row?.n ?? 0);
}
