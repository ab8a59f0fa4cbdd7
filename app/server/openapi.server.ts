import { z } from 'zod';
import type { Route } from './route.server.js';

type JsonSchema = Record<string, unknown>;

/** A path served outside the `/api` router (webhooks, health, metrics), documented by hand. */
export interface ExtraPath {
  method: string;
  path: string;
  summary: string;
  tag: string;
  responses: Record<string, string>;
  requestBody?: string;
}

/**
 * zod → JSON Schema (draft 2020-12, which OpenAPI 3.1 uses). Request side (`io: 'input'`): defaults
 * are optional for the caller. Nested definitions are moved to `components.schemas` under a
 * prefix because `#/$defs/…` would point at the root of the OpenAPI document, not of the schema.
 */
function toSchema(schema: z.ZodType, prefix: string, components: Record<string, JsonSchema>): JsonSchema {
  const generated: JsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const defs = (generated.$defs ?? {}) as Record<string, JsonSchema>;
  delete generated.$defs;
  delete generated.$schema;
  const rename = (key: string) => `${prefix}_${key.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
          ? `#/components/schemas/${rename(v.slice('#/$defs/'.length))}`
          : rewrite(v);
      }
      return out;
    }
    return value;
  };
  for (const [key, def] of Object.entries(defs)) components[rename(key)] = rewrite(def) as JsonSchema;
  return rewrite(generated) as JsonSchema;
}

function operationId(method: string, path: string): string {
  const words = path.split('/').filter(Boolean).map((seg) => (seg.startsWith(':') ? `by_${seg.slice(1)}` : seg.replace(/[^A-Za-z0-9]+/g, '_')));
  return [method, ...words].join('_');
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array', items: {} } },
    },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** The OpenAPI 3.1 document of the API, from the very schemas the routes validate with. */
export function buildOpenApi(routes: Route[], extras: ExtraPath[], info: { version: string }): JsonSchema {
  const components: Record<string, JsonSchema> = { Error: errorSchema };
  const paths: Record<string, Record<string, unknown>> = {};
  const named = new Map<string, JsonSchema>();

  for (const route of routes) {
    const { meta } = route;
    const path = `/api${meta.path}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const id = operationId(meta.method, meta.path);
    const parameters: unknown[] = [];
    const paramSchema = meta.params ? toSchema(meta.params, id, components) : undefined;
    for (const match of meta.path.matchAll(/:([A-Za-z0-9_]+)/g)) {
      const name = match[1]!;
      const schema = (paramSchema?.properties as Record<string, unknown> | undefined)?.[name] ?? { type: 'string' };
      parameters.push({ name, in: 'path', required: true, schema });
    }
    if (meta.query) {
      const querySchema = toSchema(meta.query, id, components);
      const required = new Set((querySchema.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((querySchema.properties ?? {}) as Record<string, unknown>)) {
        parameters.push({ name, in: 'query', required: required.has(name), schema });
      }
    }
    let requestBody: unknown;
    if (meta.body) {
      let schema: JsonSchema;
      if (meta.bodyName) {
        if (!named.has(meta.bodyName)) {
          components[meta.bodyName] = toSchema(meta.body, meta.bodyName, components);
          named.set(meta.bodyName, components[meta.bodyName]!);
        }
        schema = { $ref: `#/components/schemas/${meta.bodyName}` };
      } else {
        schema = toSchema(meta.body, id, components);
      }
      // A body schema that accepts nothing (`z.object(…).optional()`) documents an optional body.
      requestBody = { required: !meta.body.safeParse(undefined).success, content: { 'application/json': { schema } } };
    }
    const status = String(meta.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: { description: status === '204' ? 'done, no content' : 'success' },
      ...(meta.body || meta.query || meta.params ? { 400: errorResponse('invalid request (`validation_failed` lists every problem, `invalid_json`)') } : {}),
      ...(route.auth ? { 401: errorResponse('no valid session cookie or API key'), 403: errorResponse('cross-site request refused') } : {}),
      default: errorResponse('error'),
    };
    (paths[path] ??= {})[meta.method] = {
      operationId: id,
      summary: meta.summary,
      tags: [meta.tag],
      security: route.auth ? [{ bearerAuth: [] }, { cookieAuth: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }

  for (const extra of extras) {
    const path = extra.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [code, description] of Object.entries(extra.responses)) responses[code] = { description };
    (paths[path] ??= {})[extra.method] = {
      operationId: operationId(extra.method, extra.path),
      summary: extra.summary,
      tags: [extra.tag],
      security: [],
      ...(extra.requestBody ? { requestBody: { required: false, description: extra.requestBody, content: { '*/*': { schema: {} } } } } : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: { title: 'Switchyard API', version: info.version, description: 'Errors are `{"error":{"code","message","details"}}` with a 4xx/5xx status.' },
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key (`sy_…`) from `POST /api/apikeys` or `switchyard apikey create`.' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'sy_session', description: 'The UI session; state-changing calls need a same-origin `Origin` header.' },
      },
    },
    paths,
  };
}
