import type { z } from 'zod';
import type { HttpClient } from './node.js';
import type { InboundHandler, InboxReplyContext, InboxReplyThread } from './inbound.js';

/** What a kind's connection test gets besides the fields. */
export interface CredentialTestContext {
  /** The runtime's SSRF-guarded client: a test URL typed by a user must not reach internal addresses. */
  http: HttpClient;
  /** Aborted when the caller gives up (request ended, timeout); pass it to `http.request`. */
  signal: AbortSignal;
}

/** The outcome of a connection test, in plain words for the credentials page. */
export interface CredentialTestResult {
  ok: boolean;
  /** Must never contain a field's value: it is shown and may be logged. */
  message: string;
}

/** A kind of credential: its fields (secret ones marked with `ui(…, { secret: true })`). */
export interface CredentialKindDefinition<S extends z.ZodObject = z.ZodObject> {
  kind: string;
  title: string;
  description?: string;
  schema: S;
  /**
   * Optional "Test connection": tries the stored fields against the service so a user learns a token
   * is wrong now rather than at the flow's next run. Fields arrive as stored (strings, as nodes get
   * them). Kinds that cannot be checked on their own (a signing secret) leave it out and the editor
   * shows no button. Report failures as `{ ok: false }`; a throw is reported as a failed test too.
   */
  test?: (fields: Readonly<Record<string, string>>, ctx: CredentialTestContext) => Promise<CredentialTestResult>;
  /**
   * Set on channel and payment kinds whose provider calls back: each credential of the kind gets a
   * callback URL (`/inbound/<credentialId>`) answered by this handler (the inbound gateway). Default: none.
   */
  inbound?: InboundHandler;
  /**
   * Sends a plain text message from the account to a contact: a person replying from the inbox
   * (`POST /api/conversations/:id/messages`). Throw with the provider's message when it refuses.
   * The runtime records the message in the conversation. `thread` says what the reply answers (an
   * email is sent as a reply to the contact's latest mail). Throw a `NonRetryableError` with code
   * `reply_not_configured` when the account lacks what replies need (shown as a 400, not a provider
   * failure). Default: the inbox cannot reply on this channel.
   */
  replyText?(ctx: InboxReplyContext, contactId: string, text: string, thread?: InboxReplyThread): Promise<{ providerMessageId: string }>;
}

export function defineCredentialKind<S extends z.ZodObject>(definition: CredentialKindDefinition<S>): CredentialKindDefinition<S> {
  return definition;
}
