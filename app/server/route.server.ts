import type { Request, Response } from 'express';
import { z } from 'zod';
import { findUnstorable } from '../../runtime/index.js';
import { UnauthorizedError } from '../../runtime/errors.js';
import type { Principal } from '../../runtime/services/types.js';
import type { Runtime } from '../../runtime/types.js';
import { validationError, zodIssues, type IssueDetail } from './errors.server.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a handler returns; `body` undefined sends an empty response (use with 204). */
export interface Reply {
  status?: number;
  body?: unknown;
}

interface BaseContext {
  runtime: Runtime;
  req: Request;
  res: Response;
}

export interface HandlerContext<B, Q, P> extends BaseContext {
  body: B;
  query: Q;
  params: P;
}

/** Route metadata shared by validation and the OpenAPI document. */
export interface RouteMeta<BS extends z.ZodType = z.ZodType, QS extends z.ZodType = z.ZodType, PS extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** Express path below `/api`, e.g. `/flows/:id`. */
  path: string;
  summary: string;
  /** OpenAPI tag (the resource). */
  tag: string;
  /** Status of a successful call. Default: 200. */
  status?: number;
  /** Request body schema (validated unless `validateBody` is false). */
  body?: BS;
  /**
   * False when the service validates the body itself and names every problem (flow documents:
   * schema and graph problems come back together, with node ids). The schema then only documents.
   * Default: true.
   */
  validateBody?: boolean;
  /** Name of the body schema under `components.schemas` when several routes share it. */
  bodyName?: string;
  query?: QS;
  params?: PS;
}

/** A route with its types erased: what the router mounts and the OpenAPI builder reads. */
export interface Route {
  meta: RouteMeta;
  auth: boolean;
  run(ctx: BaseContext & { principal: Principal | undefined }): Promise<Reply>;
}

/**
 * Parses `value` with `schema`, adding any issues to `issues` (so body, query and params problems
 * are reported together). Without a schema the raw value passes through; that branch is typed by
 * the route's type parameter, which defaults to `z.ZodUnknown` when no schema is declared.
 */
function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string, issues: IssueDetail[]): z.output<S> {
  // Checked first, and the schema skipped when it fails: a value Postgres would refuse is named
  // here rather than failing a statement later, and a hostile nesting never reaches zod.
  const unstorable = findUnstorable(value);
  if (unstorable) {
    issues.push({ path: [where, ...unstorable.path], message: unstorable.message });
    return value as z.output<S>;
  }
  if (!schema) return value as z.output<S>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...zodIssues(result.error, where));
  // Never reaches a handler: `prepare` throws once any issue was recorded.
  return value as z.output<S>;
}

type Parsed<BS extends z.ZodType, QS extends z.ZodType, PS extends z.ZodType> = HandlerContext<z.output<BS>, z.output<QS>, z.output<PS>>;

function prepare<BS extends z.ZodType, QS extends z.ZodType, PS extends z.ZodType>(meta: RouteMeta<BS, QS, PS>, ctx: BaseContext): Parsed<BS, QS, PS> {
  const { req } = ctx;
  const issues: IssueDetail[] = [];
  const parsed = {
    ...ctx,
    params: parse(meta.params, req.params, 'params', issues),
    query: parse(meta.query, req.query, 'query', issues),
    body: parse(meta.validateBody === false ? undefined : meta.body, req.body, 'body', issues),
  };
  if (issues.length > 0) throw validationError(issues);
  return parsed;
}

/** An authenticated route: the handler gets the caller's principal (a 401 is sent before it runs otherwise). */
export function defineRoute<BS extends z.ZodType = z.ZodUnknown, QS extends z.ZodType = z.ZodUnknown, PS extends z.ZodType = z.ZodUnknown>(
  meta: RouteMeta<BS, QS, PS>,
  handler: (ctx: Parsed<BS, QS, PS> & { principal: Principal }) => Promise<Reply>,
): Route {
  return {
    meta,
    auth: true,
    async run({ principal, ...ctx }) {
      if (!principal) throw new UnauthorizedError();
      return handler({ ...prepare(meta, ctx), principal });
    },
  };
}

/** A route anyone may call (sign-in, status, the OpenAPI document); the principal is there when known. */
export function definePublicRoute<BS extends z.ZodType = z.ZodUnknown, QS extends z.ZodType = z.ZodUnknown, PS extends z.ZodType = z.ZodUnknown>(
  meta: RouteMeta<BS, QS, PS>,
  handler: (ctx: Parsed<BS, QS, PS> & { principal: Principal | undefined }) => Promise<Reply>,
): Route {
  return {
    meta,
    auth: false,
    async run({ principal, ...ctx }) {
      return handler({ ...prepare(meta, ctx), principal });
    },
  };
}

/** Common param schemas. */
export const idParams = z.object({ id: z.string().min(1).max(200) });
