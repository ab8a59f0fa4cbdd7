import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerBuild } from '@remix-run/node';
import { createRuntime, loadConfig } from '../../runtime/index.js';
import type { HttpServerOptions } from '../server/http.server.js';
import { stopSignal, type CliIo } from './io.js';

/** `start`, `web`, `dev` and `worker`: long-running processes that stop cleanly on SIGTERM/SIGINT. */
export async function serve(io: CliIo, mode: 'start' | 'web' | 'dev' | 'worker', overrides: { port?: number; host?: string; concurrency?: number }): Promise<number> {
  const config = { ...loadConfig(io.env) };
  if (overrides.port !== undefined) config.port = overrides.port;
  if (overrides.host !== undefined) config.host = overrides.host;
  const stop = stopSignal(io);
  const runtime = await createRuntime(config).catch((error: unknown) => {
    stop.dispose();
    throw error;
  });
  const closers: (() => Promise<void>)[] = [];
  try {
    if (mode !== 'web') {
      const worker = await runtime.startWorker({ concurrency: overrides.concurrency });
      closers.push(() => worker.close());
    }
    if (mode !== 'worker') {
      const httpOptions: HttpServerOptions = {};
      if (mode === 'dev') {
        // Vite is a dev dependency: loaded only for `dev`, so production installs never need it.
        const vite = await import('vite');
        const viteDevServer = await vite.createServer({ server: { middlewareMode: true }, root: io.cwd });
        httpOptions.viteDevServer = viteDevServer;
        closers.unshift(() => viteDevServer.close());
      } else {
        const build = remixBuildLoader(io.cwd);
        if (build) {
          httpOptions.remixBuild = build;
          httpOptions.clientDir = path.join(io.cwd, 'build/client');
        } else {
          io.stderr('note: no editor build at build/server/index.js (run `npm run build`); serving the API only');
        }
      }
      // Imported here so a `worker` process never loads express, the API routes or the UI build.
      const { createHttpServer } = await import('../server/http.server.js');
      const server = await createHttpServer(runtime, httpOptions).listen(config.port, config.host);
      // The HTTP server stops first so no new work arrives while the worker drains.
      closers.unshift(() => server.close());
      io.stdout(`Switchyard ${mode === 'start' ? 'web + worker' : mode} listening on ${server.url}`);
    } else {
      io.stdout(`Switchyard worker running (concurrency ${overrides.concurrency ?? config.workerConcurrency})`);
    }
    const signal = await stop.stopped;
    io.stderr(`${signal}: shutting down…`);
  } finally {
    stop.dispose();
    for (const close of closers) {
      await close().catch((error: unknown) => runtime.log.error({ err: error }, 'shutdown step failed'));
    }
    await runtime.close();
  }
  return 0;
}

/**
 * The editor's server build, imported on the first page request rather than at start: React, the
 * Remix runtime and the editor's modules (~38 MB of RSS imported alone; ~10 MB less web RSS after
 * the benchmark's load) that a process serving only webhooks and the API never needs (decision 013).
 */
function remixBuildLoader(cwd: string): (() => Promise<ServerBuild>) | undefined {
  const file = path.join(cwd, 'build/server/index.js');
  if (!fs.existsSync(file)) return undefined;
  let loading: Promise<ServerBuild> | undefined;
  return () => {
    loading ??= import(pathToFileURL(file).href).then((build: ServerBuild) => build, (error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
