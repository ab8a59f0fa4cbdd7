import { InboundPayloadError, isJsonObject, type Json, type JsonObject } from '@switchyard/sdk';

/**
 * A step through a provider's JSON that knows where it is, so a malformed delivery is refused with
 * the path of what is wrong (`entry[0].changes[0].value.messages[1].from is missing`) rather than a
 * TypeError from deep inside the parser.
 */
export class PayloadNode {
  constructor(readonly value: JsonObject, readonly path: string) {}

  /** The raw value at `key` (undefined when absent). */
  get(key: string): Json | undefined {
    return Object.hasOwn(this.value, key) ? this.value[key] : undefined;
  }

  has(key: string): boolean {
    const value = this.get(key);
    return value !== undefined && value !== null;
  }

  /** A required object. */
  object(key: string): PayloadNode {
    const found = this.optionalObject(key);
    if (!found) throw this.missing(key);
    return found;
  }

  optionalObject(key: string): PayloadNode | undefined {
    const value = this.get(key);
    if (value === undefined || value === null) return undefined;
    if (!isJsonObject(value)) throw new InboundPayloadError(`${this.at(key)} must be an object`);
    return new PayloadNode(value, this.at(key));
  }

  /** A list of objects; absent is an empty list unless `required`. */
  objects(key: string, required = false): PayloadNode[] {
    const value = this.get(key);
    if (value === undefined || value === null) {
      if (required) throw this.missing(key);
      return [];
    }
    if (!Array.isArray(value)) throw new InboundPayloadError(`${this.at(key)} must be a list`);
    return value.map((item, index) => {
      const path = `${this.at(key)}[${index}]`;
      if (!isJsonObject(item)) throw new InboundPayloadError(`${path} must be an object`);
      return new PayloadNode(item, path);
    });
  }

  /** A required non-empty string (numbers are accepted as their text: Meta sends some ids either way). */
  string(key: string): string {
    const found = this.optionalString(key);
    if (found === undefined || found === '') throw this.missing(key);
    return found;
  }

  optionalString(key: string): string | undefined {
    const value = this.get(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw new InboundPayloadError(`${this.at(key)} must be a string`);
  }

  /** A required timestamp as Meta sends it (seconds as a string on WhatsApp, milliseconds on Instagram), as epoch ms. */
  epochMs(key: string, unit: 'seconds' | 'milliseconds'): number {
    const value = this.get(key);
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
    if (value === undefined || value === null) throw this.missing(key);
    if (number === undefined || !Number.isFinite(number)) throw new InboundPayloadError(`${this.at(key)} must be a ${unit} timestamp`);
    return unit === 'seconds' ? number * 1000 : number;
  }

  at(key: string): string {
    return `${this.path}.${key}`;
  }

  private missing(key: string): InboundPayloadError {
    return new InboundPayloadError(`${this.at(key)} is missing`);
  }
}

/** One decoder for every delivery (making one per call showed in the gateway's profile); a non-streaming decode keeps no state. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The delivery's body as a JSON object, or a 400 saying why not. */
export function readDeliveryBody(rawBody: Uint8Array): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8.decode(rawBody));
  } catch {
    throw new InboundPayloadError('the body is not JSON (a truncated delivery?)');
  }
  if (!isJsonObject(parsed as Json)) throw new InboundPayloadError('the body must be a JSON object');
  return parsed as JsonObject;
}

/**
 * The delivery's `entry` list after checking `object` is what this product sends
 * (`whatsapp_business_account`, `instagram`). Paths start at the body (`entry[0]…`).
 */
export function deliveryEntries(rawBody: Uint8Array, object: string): PayloadNode[] {
  const body = readDeliveryBody(rawBody);
  const kind = body.object;
  if (kind !== object) throw new InboundPayloadError(`object is ${JSON.stringify(kind ?? null)}; this account receives "${object}" deliveries`);
  const entries = body.entry;
  if (!Array.isArray(entries)) throw new InboundPayloadError(entries === undefined ? 'entry is missing' : 'entry must be a list');
  return entries.map((item, index) => {
    if (!isJsonObject(item)) throw new InboundPayloadError(`entry[${index}] must be an object`);
    return new PayloadNode(item, `entry[${index}]`);
  });
}
