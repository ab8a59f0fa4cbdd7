import express, { type Router } from 'express';
import type { Runtime } from '../../../runtime/types.js';
import { sendError } from '../errors.server.js';
import { buildOpenApi, type ExtraPath } from '../openapi.server.js';
import { definePublicRoute, type Route } from '../route.server.js';
import { identify, requestAuth } from '../session.server.js';
import { apiKeyRoutes } from './apikeys.server.js';
import { authRoutes } from './auth.server.js';
import { catalogRoutes } from './catalog.server.js';
import { conversationLiveRoutes } from './conversations-live.server.js';
import { conversationRoutes } from './conversations.server.js';
import { credentialRoutes } from './credentials.server.js';
import { decisionRoutes } from './decisions.server.js';
import { escalationRoutes } from './escalations.server.js';
import { executionRoutes } from './executions.server.js';
import { flowRoutes } from './flows.server.js';
import { knowledgeRoutes } from './knowledge.server.js';
import { aiPriceRoutes } from './ai-prices.server.js';
import { paymentRoutes } from './payments.server.js';
import { liveRoutes } from './live.server.js';
import { pluginRoutes } from './plugins.server.js';
import { simulatorRoutes } from './simulator.server.js';
import { templateRoutes } from './templates.server.js';
import { testListenRoutes } from './test-listen.server.js';
import { usageRoutes } from './usage.server.js';
import { variableRoutes } from './variables.server.js';

/** Version of the HTTP API in the OpenAPI document. */
export const API_VERSION = '0.1.0';

/** Paths served outside `/api`, listed in the OpenAPI document too. */
export const extraPaths: ExtraPath[] = [
  { method: 'get', path: '/healthz', tag: 'ops', summary: 'Postgres and Redis reachable', responses: { 200: 'healthy', 503: 'a dependency is down' } },
  { method: 'get', path: '/metrics', tag: 'ops', summary: 'Prometheus metrics (text format)', responses: { 200: 'metrics' } },
  {
    method: 'post', path: '/hooks/resume/:token', tag: 'webhooks', summary: 'Resume an execution parked in a Wait node (its resume URL)',
    requestBody: 'JSON, form or text; becomes the resumed step\'s payload', responses: { 202: '`{ executionId }`', 404: 'nothing is waiting on this token', 413: 'body too large' },
  },
  ...['get', 'post'].map((method): ExtraPath => ({
    method, path: '/inbound/:credentialId', tag: 'webhooks',
    summary: 'A provider\'s deliveries to a channel account (its callback URL): handshake, signature over the raw bytes, events recorded and deduplicated, then dispatched',
    requestBody: 'as the provider sends it; kept raw for its signature',
    responses: { 200: 'the provider\'s acknowledgement (or the handshake\'s challenge)', 400: 'malformed delivery, nothing recorded', 401: 'signature missing', 403: 'signature or verify token wrong', 404: 'no account takes deliveries here', 413: 'body too large' },
  })),
  ...['get', 'post', 'put', 'patch', 'delete'].map((method): ExtraPath => ({
    method, path: '/hooks/:path', tag: 'webhooks', summary: 'Webhook trigger of an active flow (signature verified by the trigger)',
    requestBody: 'any; kept raw for signature checks', responses: { 200: 'the flow\'s response (sync flows)', 202: '`{ executionId }` (async flows)', 404: 'no active flow listens here', 413: 'body too large' },
  })),
];

/** Every `/api` route, in mount order: fixed paths before `:id` paths of the same prefix. */
export function apiRoutes(): Route[] {
  const routes: Route[] = [
    ...authRoutes, ...catalogRoutes, ...flowRoutes, ...testListenRoutes, ...simulatorRoutes, ...executionRoutes, ...liveRoutes, ...credentialRoutes, ...apiKeyRoutes,
    ...variableRoutes, ...pluginRoutes, ...conversationLiveRoutes, ...conversationRoutes, ...knowledgeRoutes, ...aiPriceRoutes, ...paymentRoutes, ...escalationRoutes, ...templateRoutes, ...decisionRoutes, ...usageRoutes,
  ];
  let document: Record<string, unknown> | undefined;
  routes.push(definePublicRoute({ method: 'get', path: '/openapi.json', tag: 'meta', summary: 'This OpenAPI 3.1 document' },
    async () => {
      document ??= buildOpenApi(routes, extraPaths, { version: API_VERSION });
      return { body: document };
    }));
  return routes;
}

/** `/api`: JSON bodies up to `maxBodyBytes`, caller identification + CSRF rule, the routes, 404 for the rest. */
export function apiRouter(runtime: Runtime, options: { maxBodyBytes: number }): Router {
  const router = express.Router();
  router.use(express.json({ limit: options.maxBodyBytes, type: ['application/json', 'application/*+json'] }));
  router.use(identify(runtime));
  for (const route of apiRoutes()) {
    router[route.meta.method](route.meta.path, (req, res, next) => {
      route.run({ runtime, req, res, principal: requestAuth(req).principal }).then((reply) => {
        res.status(reply.status ?? route.meta.status ?? 200);
        if (reply.body === undefined) res.end();
        else res.json(reply.body);
      }, next);
    });
  }
  router.use((req, res) => sendError(res, 404, 'not_found', `no API route ${req.method} /api${req.path}`));
  return router;
}
