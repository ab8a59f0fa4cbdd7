import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type Express } from 'express';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import type { ViteDevServer } from 'vite';
import type { Runtime } from '../../runtime/types.js';
import { apiRouter } from './api/index.server.js';
import { errorMiddleware, requestIdMiddleware, sendError } from './errors.server.js';
import { handleHook, hooksRouter, isHookRequest } from './hooks.server.js';
import { handleInbound, inboundRouter, isInboundRequest } from './inbound.server.js';

export interface HttpServerOptions {
  /** The Remix server build (or a loader of it); without one, unknown paths get a 404 JSON error. Default: none. */
  remixBuild?: ServerBuild | (() => Promise<ServerBuild>);
  /** Vite dev server (the `dev` command): its middlewares serve the client and HMR. Default: none. */
  viteDevServer?: ViteDevServer;
  /** Built client assets served next to a production Remix build. Default: `build/client` under the cwd. */
  clientDir?: string;
  /** Express `trust proxy` (client address and https detection behind a proxy). Default: false. */
  trustProxy?: boolean | number | string;
  /** How long `close()` lets in-flight requests finish before cutting connections. Default: 10 000 ms. */
  closeGraceMs?: number;
}

export interface HttpServer {
  app: Express;
  listen(port: number, host: string): Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * The one HTTP entry point: health, metrics, webhooks, the JSON API and the Remix UI, on one port.
 * Order matters: webhooks read the raw body and the API parses JSON, each with the body limit,
 * before anything else may consume the stream.
 */
export function createHttpServer(runtime: Runtime, options: HttpServerOptions = {}): HttpServer {
  const { maxBodyBytes } = runtime.config;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(requestIdMiddleware);
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    // No other site may frame the editor and steer clicks onto Activate or Delete (clickjacking).
    // Webhook answers replace the CSP with their own `sandbox` one.
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('content-security-policy', "frame-ancestors 'none'");
    next();
  });

  app.get('/healthz', (_req, res, next) => {
    runtime.health().then((health) => { res.status(health.ok ? 200 : 503).json(health); }, next);
  });
  app.get('/metrics', (_req, res, next) => {
    runtime.metrics.metrics().then((text) => { res.setHeader('content-type', runtime.metrics.contentType).send(text); }, next);
  });
  app.use('/hooks', hooksRouter(runtime, { maxBodyBytes }));
  app.use('/inbound', inboundRouter(runtime, { maxBodyBytes }));
  app.use('/api', (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  }, apiRouter(runtime, { maxBodyBytes }));

  if (options.viteDevServer) {
    app.use(options.viteDevServer.middlewares);
  } else if (options.remixBuild) {
    const clientDir = path.resolve(options.clientDir ?? 'build/client');
    if (fs.existsSync(clientDir)) {
      // Vite fingerprints everything under assets/, so it may be cached for good.
      app.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }));
      app.use(express.static(clientDir, { maxAge: '1h' }));
    }
  }
  const viteDevServer = options.viteDevServer;
  const build = viteDevServer
    ? () => viteDevServer.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
    : options.remixBuild;
  if (build) {
    app.all('*', createRequestHandler({ build, mode: viteDevServer ? 'development' : 'production', getLoadContext: () => ({ runtime }) }));
  } else {
    app.use((req, res) => sendError(res, 404, 'not_found', `no route ${req.method} ${req.path}`));
  }
  app.use(errorMiddleware(runtime, maxBodyBytes));

  return {
    app,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const hookLimit = runtime.config.maxBodyBytes;
        const server = http.createServer((req, res) => {
          if (isHookRequest(req.url)) void handleHook(runtime, req, res, hookLimit);
          else if (isInboundRequest(req.url)) void handleInbound(runtime, req, res, hookLimit);
          else app(req, res);
        });
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
          resolve({ url: `http://${shownHost}:${address.port}`, close: () => closeServer(server, options.closeGraceMs ?? 10_000) });
        });
      });
    },
  };
}

/** Stops accepting connections, lets in-flight requests finish for `graceMs`, then cuts the rest. */
function closeServer(server: http.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
