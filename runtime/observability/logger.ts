import pino, { type DestinationStream, type Logger } from 'pino';
import type { SwitchyardConfig } from '../config/env.js';
import { REDACTED, redactSecretKeys } from '../vault/redact.js';

export type { Logger } from 'pino';

const secretKeys = [
  'authorization', 'Authorization', 'password', 'passwd', 'token', 'accessToken', 'access_token', 'refreshToken',
  'refresh_token', 'secret', 'clientSecret', 'client_secret', 'apiKey', 'api_key', 'cookie', 'privateKey',
];
const secretHeaders = ['authorization', 'Authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization'];

/**
 * pino `redact` paths: known secret keys at the top level and one or two levels down, and secret
 * headers wherever a `headers` object is logged. Compiled once by pino, so they cost almost nothing.
 */
export const redactPaths: readonly string[] = [
  ...secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  ...secretHeaders.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
];

/**
 * Catches what fixed paths miss (deeper nesting, other spellings such as `X-Api-Key` or `API_KEY`).
 * Errors are left for pino's `err` serializer, which needs the real object for the stack.
 */
function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    out[key] = value instanceof Error ? value : redactSecretKeys({ [key]: value })[key];
  }
  return out;
}

/**
 * The process logger: JSON lines, level from `config.logLevel`, secrets under well-known keys replaced
 * by `[redacted]`. `base` fields go on every line (e.g. `{ service: 'worker' }`).
 * @param destination where lines go. Default: stdout.
 */
export function createLogger(
  config: Pick<SwitchyardConfig, 'logLevel'>,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { pid: process.pid, ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactPaths], censor: REDACTED },
    formatters: {
      level: (label) => ({ level: label }),
      log: redactLogObject,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Ids every line about one step carries, so an execution's lines can be found together. */
export interface StepBindings {
  executionId: string;
  nodeId?: string;
  flowId?: string;
  workspaceId?: string;
  attempt?: number;
}

/** A child logger whose every line carries `executionId` (and `nodeId`, … when given). */
export function stepLogger(log: Logger, bindings: StepBindings): Logger {
  return log.child(bindings);
}
