/** A value that survives `JSON.stringify` → `JSON.parse` unchanged: the only thing that crosses a port or the sandbox boundary. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
