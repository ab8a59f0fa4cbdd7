import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** A message the fake accepted: the SMTP envelope and the bytes as sent (parse them with mailparser). */
export interface FakeSmtpMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** The user the client signed in as (never the password). */
  user: string | null;
}

export interface SmtpFake {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  messages: FakeSmtpMessage[];
  /** Connections opened (a guard that refuses the host opens none). */
  connections: number;
  close(): Promise<void>;
}

/**
 * A local SMTP server on 127.0.0.1 (random port) built on `smtp-server`: plain text (STARTTLS off,
 * so clients connect with `ignoreTLS`), AUTH PLAIN/LOGIN with one user, and recipients whose local
 * part starts with `reject` refused with 550 as a real server refuses an unknown mailbox.
 */
export async function startSmtpFake(options: { user?: string; password?: string } = {}): Promise<SmtpFake> {
  const user = options.user ?? 'mailer@example.com';
  const password = options.password ?? 'smtp-secret';
  const messages: FakeSmtpMessage[] = [];
  const fake = { connections: 0 };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    size: 30 * 1024 * 1024,
    onConnect(_session, callback) {
      fake.connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) return callback(null, { user });
      const error = Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 });
      callback(error);
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (/^reject/i.test(address.address)) {
        return callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const envelope = session.envelope;
        messages.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : '',
          to: envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port: address.port,
    user, password, messages,
    get connections() { return fake.connections; },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
