import type { Json } from './json.js';

/** USD per million tokens for one model (the price table on the settings page). */
export interface ModelPrice {
  /** Per million prompt (input) tokens. */
  input: number;
  /** Per million completion (output) tokens. */
  output: number;
}

/** What built-in AI nodes get as `ctx.ai` (undefined where the runtime offers neither). */
export interface AiCapabilities {
  /** The workspace's price table by model id (a few seconds stale at most). */
  prices(): Promise<Readonly<Record<string, ModelPrice>>>;
  /**
   * The workspace's response cache (Redis, expiring). Keys are the caller's hashes of a full request;
   * values are answers — never API keys.
   */
  cache: {
    get(key: string): Promise<Json | null>;
    put(key: string, value: Json, ttlMs: number): Promise<void>;
  };
}
