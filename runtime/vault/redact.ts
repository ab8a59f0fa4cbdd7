import type { CredentialValue } from '@switchyard/sdk';

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not learned: replacing every "abc" or "1" in step data would destroy
 * it while protecting nothing worth protecting.
 */
export const MIN_SECRET_LENGTH = 4;

/** Keys whose values are secret whatever they contain (matched case-insensitively, ignoring `-` and `_`). */
const SECRET_KEY = /^(authorization|proxyauthorization|password|passwd|pass|pwd|secret|clientsecret|token|accesstoken|refreshtoken|idtoken|apikey|xapikey|privatekey|cookie|setcookie|credentials?|signature|xhubsignature256|xtwiliosignature|xrazorpaysignature)$/;

/** Whether a property name (e.g. `Authorization`, `api_key`, `x-api-key`) holds a secret by convention. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Options of {@link Redactor.redact}. */
export interface RedactOptions {
  /** Also replace the values of well-known secret keys ({@link isSecretKey}). Default: false (step data keeps its shape). */
  secretKeys?: boolean;
}

/** Options of {@link Redactor.learnCredential}. */
export interface LearnCredentialOptions {
  /**
   * Fields whose values come from a fixed public set (the kind's enums and flags, see the vault's
   * `choiceFields`) and are not learned. Default: none, every field is learned.
   */
  choiceFields?: ReadonlySet<string>;
}

/**
 * Learns secret strings (credential field values) and removes them from strings and nested JSON. One
 * per execution: the executor teaches it the credentials it loads, then passes step inputs, outputs,
 * errors and log data through it before they are recorded or logged.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;
  /** Whether every secret reads the same inside JSON text (see {@link redactJson}). */
  private jsonVerbatim = true;

  /** Learns one secret (ignored when shorter than {@link MIN_SECRET_LENGTH}). */
  learn(secret: string): this {
    if (secret.length >= MIN_SECRET_LENGTH && !this.secrets.has(secret)) {
      this.secrets.add(secret);
      this.pattern = undefined;
      // JSON writes quotes, backslashes, controls and lone surrogates as escapes.
      if (JSON.stringify(secret).length !== secret.length + 2) this.jsonVerbatim = false;
    }
    return this;
  }

  /**
   * Learns every field of a credential, plus the forms they travel in: URL-encoded, and the base64
   * `user:password` pair of HTTP Basic auth (an `Authorization` header echoed back would leak it).
   */
  learnCredential(credential: CredentialValue, options: LearnCredentialOptions = {}): this {
    for (const [name, value] of Object.entries(credential.fields)) {
      if (options.choiceFields?.has(name)) continue;
      this.learn(value);
      this.learn(encodeURIComponent(value));
    }
    const { username, password } = credential.fields;
    if (username !== undefined && password !== undefined) this.learn(Buffer.from(`${username}:${password}`).toString('base64'));
    return this;
  }

  /** How many distinct secrets it knows. */
  get size(): number {
    return this.secrets.size;
  }

  redactString(text: string): string {
    if (this.secrets.size === 0) return text;
    return text.replace(this.secretPattern(), REDACTED);
  }

  /**
   * {@link redact} for plain JSON data (a step's record, a run's outcome). When no learned secret
   * occurs in the value's JSON text, returns the value itself: one native serialisation and one
   * search instead of a walk that copies every object and string (it showed in the worker's
   * profile). Otherwise, or when a secret holds a character JSON escapes (so its JSON text might not
   * contain it as learned), the walk.
   */
  redactJson<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    if (this.jsonVerbatim) {
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        // A cycle or a BigInt: not JSON data; the walk copes.
      }
      if (text !== undefined && text.search(this.secretPattern()) === -1) return value;
    }
    return this.redact(value);
  }

  /** Every learned secret, longest first, so a secret that contains another is replaced whole. */
  private secretPattern(): RegExp {
    this.pattern ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    return this.pattern;
  }

  /**
   * A copy of `value` with learned secrets replaced in every string (keys included) of its plain
   * objects and arrays. Errors become `{ name, message }`; other class instances (Date, Buffer) pass through.
   */
  redact<T>(value: T, options: RedactOptions = {}): T {
    return this.walk(value, options.secretKeys ?? false, new WeakSet()) as T;
  }

  private walk(value: unknown, secretKeys: boolean, ancestors: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
    // Only a true cycle is cut: the same object reached twice by fan-out is redacted twice, not dropped.
    if (ancestors.has(value)) return '[circular]';
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => this.walk(item, secretKeys, ancestors));
      if (value instanceof Error) return { name: value.name, message: this.redactString(value.message) };
      // Dates, Buffers, Maps… are not JSON data: walking their (empty) own keys would turn them into `{}`.
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return value;
      const out: { [key: string]: unknown } = {};
      for (const [key, item] of Object.entries(value)) {
        const hidden = secretKeys && isSecretKey(key) && item !== null && item !== undefined;
        out[this.redactString(key)] = hidden ? REDACTED : this.walk(item, secretKeys, ancestors);
      }
      return out;
    } finally {
      ancestors.delete(value);
    }
  }
}

/** Replaces the values of well-known secret keys anywhere in a log object (no learned secrets needed). */
export function redactSecretKeys<T>(value: T): T {
  return new Redactor().redact(value, { secretKeys: true });
}
