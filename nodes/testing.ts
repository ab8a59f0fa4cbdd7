import type { z } from 'zod';
import {
  LoopRequest, WaitRequest,
  type CoreCapabilities, type CredentialSlots, type CredentialsOf, type HttpClient, type Json, type Logger,
  type NodeContext, type NodeDefinition, type NodeResult, type ResumeEvent, type WebhookResponse,
} from '@switchyard/sdk';

/** One line a node logged through `ctx.log`. */
export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

/** What the test can plug in; everything else gets a harmless default. */
export interface TestContextOptions<C extends CredentialSlots = CredentialSlots> {
  /** Default: 'exec-test'. */
  executionId?: string;
  /** Default: 'flow-test'. */
  flowId?: string;
  /** Default: 'ws-test'. */
  workspaceId?: string;
  /** Default: 'node-test'. */
  nodeId?: string;
  /** Default: 1. */
  attempt?: number;
  /** Default: `${executionId}:${nodeId}`. */
  idempotencyKey?: string;
  /** Default: none (an empty object). */
  credentials?: Partial<CredentialsOf<C>>;
  /** Default: a client that rejects every request, so a node cannot reach the network by accident. */
  http?: HttpClient;
  resumed?: ResumeEvent;
  signal?: AbortSignal;
  /** The Code node's sandbox call. Default: rejects, saying no sandbox was given. */
  runCode?: CoreCapabilities['runCode'];
  /** Default: returns `child-1`, `child-2`, … and records the call in `subflows`. */
  startSubflow?: CoreCapabilities['startSubflow'];
  /** Leave `ctx.core` undefined, as plugin nodes see it. Default: false. */
  withoutCore?: boolean;
}

/** A {@link NodeContext} that records what the node did. */
export interface TestContext<C extends CredentialSlots = CredentialSlots> extends NodeContext<C> {
  /** Every `ctx.core.respond` call, in order. */
  readonly responses: WebhookResponse[];
  /** Every `ctx.core.startSubflow` call, in order. */
  readonly subflows: { flowId: string; input: Json }[];
  /** Every `ctx.log` line, in order. */
  readonly logs: LoggedLine[];
}

const refusingHttp: HttpClient = {
  async request(request) {
    throw new Error(`test context: no HTTP client was given, refusing ${request.method ?? 'GET'} ${request.url}`);
  },
};

/**
 * A plain context for node unit tests: `wait`/`loop` return the SDK's {@link WaitRequest}/{@link LoopRequest}
 * exactly as the runtime's would, so tests can assert on what a node asked for.
 */
export function createTestContext<C extends CredentialSlots = CredentialSlots>(
  options: TestContextOptions<C> = {},
): TestContext<C> {
  const responses: WebhookResponse[] = [];
  const subflows: { flowId: string; input: Json }[] = [];
  const logs: LoggedLine[] = [];
  const line = (level: LoggedLine['level']) => (message: string, data?: Record<string, unknown>) => {
    logs.push(data === undefined ? { level, message } : { level, message, data });
  };
  const log: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const core: CoreCapabilities = {
    respond(response) {
      responses.push(response);
    },
    startSubflow: options.startSubflow ?? (async (flowId, input) => {
      subflows.push({ flowId, input });
      return `child-${subflows.length}`;
    }),
    runCode: options.runCode ?? (async () => {
      throw new Error('test context: no runCode was given');
    }),
  };
  const executionId = options.executionId ?? 'exec-test';
  const nodeId = options.nodeId ?? 'node-test';
  // The test decides which slots are filled; the node's declared types say which it may rely on.
  const credentials = (options.credentials ?? {}) as CredentialsOf<C>;
  return {
    executionId,
    flowId: options.flowId ?? 'flow-test',
    workspaceId: options.workspaceId ?? 'ws-test',
    nodeId,
    attempt: options.attempt ?? 1,
    idempotencyKey: options.idempotencyKey ?? `${executionId}:${nodeId}`,
    credentials,
    http: options.http ?? refusingHttp,
    log,
    signal: options.signal ?? new AbortController().signal,
    resumed: options.resumed,
    wait: (spec) => new WaitRequest(spec),
    loop: (items, port, concurrency) => new LoopRequest(items, port, concurrency),
    core: options.withoutCore ? undefined : core,
    responses,
    subflows,
    logs,
  };
}

/**
 * Runs a node as the executor does once expressions are resolved: parses `props` with the node's schema
 * (defaults applied, a bad value throws the zod error), then calls `run`.
 */
export async function runNode<P extends z.ZodType, C extends CredentialSlots>(
  definition: NodeDefinition<P, C>,
  input: Json,
  props: z.input<P>,
  ctx: TestContext<C> = createTestContext<C>(),
): Promise<NodeResult> {
  return definition.run(ctx, input, definition.props.parse(props));
}
