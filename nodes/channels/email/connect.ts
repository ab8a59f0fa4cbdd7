import { ImapFlow } from 'imapflow';
import nodemailer, { type Mail } from 'nodemailer';
import type { SMTPSentMessageInfo, SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import { NodeError, NonRetryableError, type HttpClient } from '@switchyard/sdk';

/** How the connection to a mail server is secured. */
export type MailSecurity = 'tls' | 'starttls' | 'none';

/** A stored security field, or `fallback` when it is unset or unknown. */
export function mailSecurity(value: string | undefined, fallback: MailSecurity): MailSecurity {
  return value === 'tls' || value === 'starttls' || value === 'none' ? value : fallback;
}

/** How long connecting and the server's greeting may take. */
const CONNECT_TIMEOUT_MS = 15_000;
/** How long a connection may sit silent (a large message upload or download keeps it busy). */
const SOCKET_TIMEOUT_MS = 60_000;

/**
 * The address to open a mail connection to, checked by the same outbound guard as `ctx.http`: the
 * host is resolved once, every address checked, and the socket opened to the checked address (with
 * the name kept for TLS), so a host that resolves to a private or metadata address is refused
 * unless `SWITCHYARD_OUTBOUND_ALLOW` opens it.
 */
export async function guardedAddress(http: HttpClient, host: string, signal?: AbortSignal): Promise<string> {
  if (!http.checkHost) {
    throw new NonRetryableError('this runtime cannot check mail server addresses against the outbound guard, so it will not connect', { code: 'outbound_unchecked' });
  }
  const [address] = await http.checkHost(host, signal);
  if (!address) throw new NonRetryableError(`${host} resolves to no address`, { code: 'outbound_blocked' });
  return address;
}

/** A nodemailer SMTP transport. */
export type SmtpTransport = Mail<SMTPSentMessageInfo, SMTPTransportOptions>;

/** The SMTP fields of a credential (as stored: strings). */
export interface SmtpFields { host: string; port: number; security: MailSecurity; user?: string; password?: string }

/** A nodemailer SMTP transport to the checked address of `fields.host`. Close it when done. */
export async function openSmtp(fields: SmtpFields, http: HttpClient, signal?: AbortSignal): Promise<SmtpTransport> {
  const address = await guardedAddress(http, fields.host, signal);
  return nodemailer.createTransport({
    host: address,
    port: fields.port,
    // The certificate is checked against the name the user typed, not the address connected to.
    servername: fields.host,
    secure: fields.security === 'tls',
    requireTLS: fields.security === 'starttls',
    ignoreTLS: fields.security === 'none',
    ...(fields.user ? { auth: { user: fields.user, pass: fields.password ?? '' } } : {}),
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    logger: false,
    debug: false,
  });
}

/** The IMAP fields of a credential. */
export interface ImapFields { host: string; port: number; security: MailSecurity; user: string; password: string }

/** An authenticated imapflow client to the checked address of `fields.host`. Log out when done. */
export async function openImap(fields: ImapFields, http: HttpClient, signal?: AbortSignal): Promise<ImapFlow> {
  const address = await guardedAddress(http, fields.host, signal);
  const client = new ImapFlow({
    host: address,
    port: fields.port,
    servername: fields.host,
    secure: fields.security === 'tls',
    // STARTTLS when asked is required (credentials never go in clear text); 'none' never upgrades.
    doSTARTTLS: fields.security === 'starttls' ? true : fields.security === 'none' ? false : undefined,
    auth: { user: fields.user, pass: fields.password },
    logger: false,
    // A poll opens, reads and logs out: no IDLE, no compression to negotiate.
    disableAutoIdle: true,
    disableCompression: true,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  // An error event with no listener would crash the process; failures surface through the awaited calls.
  client.on('error', () => undefined);
  const abort = () => client.close();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw mailError('IMAP', error);
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  return client;
}

/**
 * A mail server failure as a step error without secrets: authentication failures and permanent
 * (5xx) refusals are not retried; connection trouble and temporary (4xx) answers are.
 */
export function mailError(protocol: 'SMTP' | 'IMAP', error: unknown): Error {
  const e: { code?: unknown; responseCode?: unknown; response?: unknown; authenticationFailed?: unknown; serverResponseCode?: unknown; message?: unknown } =
    typeof error === 'object' && error !== null ? error : {};
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const said = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const details = { provider: protocol, ...(code ? { code } : {}), ...(responseCode ? { responseCode } : {}) };
  if (code === 'EAUTH' || e.authenticationFailed === true || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new NonRetryableError(`${protocol}: the server refused the user name or password (${said.slice(0, 300)})`, { code: 'mail_auth_failed', details });
  }
  if (error instanceof NodeError) return error;
  const message = `${protocol}${responseCode ? ` error ${responseCode}` : ''}: ${said.slice(0, 500)}`;
  if (responseCode !== undefined && responseCode >= 500) return new NonRetryableError(message, { code: 'mail_rejected', details });
  return new NodeError(message, { code: 'mail_unavailable', details });
}
