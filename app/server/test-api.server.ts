import { afterAll } from 'vitest';
import type { Runtime } from '../../runtime/index.js';
import { createHttpServer } from './http.server.js';

/** Response JSON, read freely in assertions (the assertions are the type check). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any;

/** One answer of {@link TestApi.api}. */
export interface TestResponse {
  status: number;
  /** The JSON body; undefined when the body is empty. */
  body: Body;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  /** Send `body` as it is (a string of JSON that may be invalid on purpose). Default: JSON-encode it. */
  raw?: boolean;
  /** Send the API key. Default: true. */
  auth?: boolean;
}

export interface TestApi {
  /** Where the server listens, e.g. `http://127.0.0.1:41234`. */
  base: string;
  /** An API key of the default workspace. */
  key: string;
  /** Calls the server with the API key; JSON in, JSON out. */
  api(method: string, path: string, body?: unknown, options?: CallOptions): Promise<TestResponse>;
}

/**
 * Serves `runtime` over HTTP on a free 127.0.0.1 port with a fresh API key, for an HTTP test file;
 * the server closes after the file's tests (the runtime's own cleanup is the caller's).
 */
export async function serveTestApi(runtime: Runtime, keyName: string): Promise<TestApi> {
  const server = await createHttpServer(runtime, { closeGraceMs: 1000 }).listen(0, '127.0.0.1');
  afterAll(() => server.close());
  const { key } = await runtime.auth.createApiKey('default', keyName);
  const base = server.url;
  return {
    base,
    key,
    async api(method, path, body, options = {}) {
      const res = await fetch(base + path, {
        method,
        headers: {
          ...(options.auth === false ? {} : { authorization: `Bearer ${key}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : options.raw ? String(body) : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: parseJson(text), text, headers: res.headers };
    },
  };
}

function parseJson(text: string): Body {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
