import net from 'node:net';
import type { AddressInfo } from 'node:net';
import addressparser from 'nodemailer/lib/addressparser';
import { envelope, imapString, inSequenceSet, internalDate, parseArguments, type EnvelopeAddress, type ImapValue } from './imap-wire.js';

/** A message in a fake mailbox. */
export interface FakeImapMessage {
  uid: number;
  flags: Set<string>;
  raw: Buffer;
  at: Date;
}

export interface FakeMailbox {
  uidValidity: number;
  uidNext: number;
  messages: FakeImapMessage[];
}

export interface ImapFake {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** Every command received, as `TAG COMMAND args` (LOGIN's password replaced by `***`). */
  commands: string[];
  /** Appends a message to `mailbox` (default INBOX) and returns its UID. */
  deliver(raw: string | Buffer, options?: { mailbox?: string; flags?: string[]; at?: Date }): number;
  mailbox(name?: string): FakeMailbox;
  /** Recreates a mailbox with a new UIDVALIDITY (what a server does when it rebuilds one): old UIDs mean nothing. */
  recreate(name?: string): void;
  close(): Promise<void>;
}

function headerBlock(raw: Buffer): Map<string, string> {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  for (const line of (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    }
  }
  return headers;
}

function addresses(value: string | undefined): EnvelopeAddress[] {
  if (!value) return [];
  return addressparser(value, { flatten: true }).map((a) => ({ name: a.name, address: a.address }));
}

function envelopeOf(raw: Buffer): string {
  const h = headerBlock(raw);
  return envelope({
    date: h.get('date'), subject: h.get('subject'), from: addresses(h.get('from')), to: addresses(h.get('to')), cc: addresses(h.get('cc')),
    replyTo: addresses(h.get('reply-to')), inReplyTo: h.get('in-reply-to'), messageId: h.get('message-id'),
  });
}

function flagList(flags: Set<string>): string {
  return `(${[...flags].join(' ')})`;
}

/**
 * A local IMAP4rev1 server on 127.0.0.1 (random port, no TLS) with just what imapflow uses for a
 * polling trigger: CAPABILITY, LOGIN, LIST, STATUS, SELECT/EXAMINE (UIDVALIDITY, UIDNEXT), SEARCH and FETCH
 * (plain and UID: UID, FLAGS, RFC822.SIZE, INTERNALDATE, ENVELOPE, BODY[]/BODY.PEEK[] and
 * [HEADER]), STORE ±FLAGS[.SILENT], NOOP, CLOSE, LOGOUT. Synchronising literals are answered with a
 * continuation. It advertises no extension, so imapflow speaks plain IMAP4rev1 to it.
 */
export async function startImapFake(options: { user?: string; password?: string } = {}): Promise<ImapFake> {
  const user = options.user ?? 'inbox@example.com';
  const password = options.password ?? 'imap-secret';
  const boxes = new Map<string, FakeMailbox>();
  const commands: string[] = [];
  let validity = 1000;
  const box = (name = 'INBOX'): FakeMailbox => {
    const key = name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
    let found = boxes.get(key);
    if (!found) boxes.set(key, (found = { uidValidity: ++validity, uidNext: 1, messages: [] }));
    return found;
  };
  box('INBOX');
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = Buffer.alloc(0);
    let pending = '';
    let literalLeft = 0;
    let authenticated = false;
    let selected: { name: string; readOnly: boolean } | undefined;
    const write = (text: string) => { if (!socket.destroyed) socket.write(text); };
    write('* OK [CAPABILITY IMAP4rev1] Switchyard fake IMAP ready\r\n');

    function execute(line: string): void {
      const space = line.indexOf(' ');
      const tag = space < 0 ? line : line.slice(0, space);
      const rest = space < 0 ? '' : line.slice(space + 1);
      const args = parseArguments(rest);
      let command = String(args.shift() ?? '').toUpperCase();
      let uid = false;
      if (command === 'UID') { uid = true; command = String(args.shift() ?? '').toUpperCase(); }
      commands.push(command === 'LOGIN' ? `${tag} LOGIN ${String(args[0])} ***` : line);
      const ok = (text: string) => write(`${tag} OK ${text}\r\n`);
      const no = (text: string) => write(`${tag} NO ${text}\r\n`);
      const bad = (text: string) => write(`${tag} BAD ${text}\r\n`);
      if (command === 'CAPABILITY') { write('* CAPABILITY IMAP4rev1\r\n'); return ok('CAPABILITY completed'); }
      if (command === 'NOOP') return ok('NOOP completed');
      if (command === 'LOGOUT') { write('* BYE Logging out\r\n'); ok('LOGOUT completed'); socket.end(); return; }
      if (command === 'LOGIN') {
        if (args[0] === user && args[1] === password) { authenticated = true; return ok('[CAPABILITY IMAP4rev1] LOGIN completed'); }
        return no('[AUTHENTICATIONFAILED] Invalid credentials');
      }
      if (!authenticated) return bad(`${command} needs LOGIN first`);
      if (command === 'LIST' || command === 'LSUB') {
        const pattern = String(args[1] ?? '');
        if (pattern === '') { write('* LIST (\\Noselect) "/" ""\r\n'); return ok(`${command} completed`); }
        const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*')}$`, 'i');
        for (const name of boxes.keys()) if (regex.test(name)) write(`* ${command} (\\HasNoChildren) "/" ${imapString(name)}\r\n`);
        return ok(`${command} completed`);
      }
      if (command === 'SELECT' || command === 'EXAMINE') {
        const name = String(args[0] ?? '');
        const key = name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
        const mailbox = boxes.get(key);
        if (!mailbox) { selected = undefined; return no('[NONEXISTENT] Unknown mailbox'); }
        selected = { name: key, readOnly: command === 'EXAMINE' };
        write('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n');
        write(`* OK [PERMANENTFLAGS (${selected.readOnly ? '' : '\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*'})] Flags permitted\r\n`);
        write(`* ${mailbox.messages.length} EXISTS\r\n* 0 RECENT\r\n`);
        write(`* OK [UIDVALIDITY ${mailbox.uidValidity}] UIDs valid\r\n* OK [UIDNEXT ${mailbox.uidNext}] Predicted next UID\r\n`);
        return ok(`[${selected.readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${command} completed`);
      }
      if (command === 'STATUS') {
        const name = String(args[0] ?? '');
        const mailbox = boxes.get(name.toUpperCase() === 'INBOX' ? 'INBOX' : name);
        if (!mailbox) return no('[NONEXISTENT] Unknown mailbox');
        const values: Record<string, number> = { MESSAGES: mailbox.messages.length, UIDNEXT: mailbox.uidNext, UIDVALIDITY: mailbox.uidValidity, UNSEEN: mailbox.messages.filter((m) => !m.flags.has('\\Seen')).length, RECENT: 0 };
        const asked = (Array.isArray(args[1]) ? args[1] : []).map((a) => String(a).toUpperCase()).filter((a) => a in values);
        write(`* STATUS ${imapString(name)} (${asked.map((a) => `${a} ${values[a]}`).join(' ')})\r\n`);
        return ok('STATUS completed');
      }
      if (command === 'CLOSE' || command === 'UNSELECT') { selected = undefined; return ok(`${command} completed`); }
      if (!selected) return bad(`${command} needs a selected mailbox`);
      const mailbox = box(selected.name);
      const largest = uid ? (mailbox.messages.at(-1)?.uid ?? 0) : mailbox.messages.length;
      const matching = (set: string) => mailbox.messages.map((m, i) => ({ m, seq: i + 1 })).filter(({ m, seq }) => inSequenceSet(set, uid ? m.uid : seq, largest));

      if (command === 'SEARCH') {
        let found = mailbox.messages.map((m, i) => ({ m, seq: i + 1 }));
        while (args.length > 0) {
          const key = String(args.shift()).toUpperCase();
          if (key === 'ALL') continue;
          else if (key === 'UID') { const set = String(args.shift() ?? ''); const top = mailbox.messages.at(-1)?.uid ?? 0; found = found.filter(({ m }) => inSequenceSet(set, m.uid, top)); }
          else if (key === 'SEEN' || key === 'UNSEEN') found = found.filter(({ m }) => m.flags.has('\\Seen') === (key === 'SEEN'));
          else if (/^[\d:*,]+$/.test(key)) found = found.filter(({ seq }) => inSequenceSet(key, seq, mailbox.messages.length));
          else return bad(`SEARCH ${key} is not supported by this fake`);
        }
        write(`* SEARCH${found.map(({ m, seq }) => ` ${uid ? m.uid : seq}`).join('')}\r\n`);
        return ok('SEARCH completed');
      }
      if (command === 'FETCH') {
        const items = (Array.isArray(args[1]) ? args[1] : [args[1] ?? '']).map((item: ImapValue) => String(item).toUpperCase());
        if (uid && !items.includes('UID')) items.unshift('UID');
        for (const { m, seq } of matching(String(args[0] ?? ''))) {
          const parts: string[] = [];
          for (const item of items) {
            if (item === 'UID') parts.push(`UID ${m.uid}`);
            else if (item === 'FLAGS') parts.push(`FLAGS ${flagList(m.flags)}`);
            else if (item === 'RFC822.SIZE') parts.push(`RFC822.SIZE ${m.raw.length}`);
            else if (item === 'INTERNALDATE') parts.push(`INTERNALDATE ${internalDate(m.at)}`);
            else if (item === 'ENVELOPE') parts.push(`ENVELOPE ${envelopeOf(m.raw)}`);
            else if (/^(BODY(\.PEEK)?\[(HEADER)?\]|RFC822(\.HEADER)?)$/.test(item)) {
              const headerOnly = item.includes('HEADER');
              const end = m.raw.indexOf('\r\n\r\n');
              const bytes = headerOnly ? m.raw.subarray(0, end < 0 ? m.raw.length : end + 4) : m.raw;
              const name = item.startsWith('RFC822') ? item : `BODY[${headerOnly ? 'HEADER' : ''}]`;
              if (!item.includes('PEEK') && !headerOnly && !selected.readOnly && !m.flags.has('\\Seen')) { m.flags.add('\\Seen'); parts.push(`FLAGS ${flagList(m.flags)}`); }
              parts.push(`${name} {${bytes.length}}\r\n${bytes.toString('latin1')}`);
            } else return bad(`FETCH ${item} is not supported by this fake`);
          }
          socket.write(Buffer.from(`* ${seq} FETCH (${parts.join(' ')})\r\n`, 'latin1'));
        }
        return ok('FETCH completed');
      }
      if (command === 'STORE') {
        if (selected.readOnly) return no('[READ-ONLY] Mailbox is read-only');
        const operation = String(args[1] ?? '').toUpperCase();
        const flags = (Array.isArray(args[2]) ? args[2] : [args[2] ?? '']).map(String).filter(Boolean);
        for (const { m, seq } of matching(String(args[0] ?? ''))) {
          if (operation.startsWith('+')) flags.forEach((f) => m.flags.add(f));
          else if (operation.startsWith('-')) flags.forEach((f) => m.flags.delete(f));
          else m.flags = new Set(flags);
          if (!operation.endsWith('.SILENT')) write(`* ${seq} FETCH (${uid ? `UID ${m.uid} ` : ''}FLAGS ${flagList(m.flags)})\r\n`);
        }
        return ok('STORE completed');
      }
      bad(`${command} is not supported by this fake`);
    }

    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (literalLeft > 0) {
          if (buffer.length < literalLeft) return;
          // Inlined as a quoted string, so the parser reads it as one argument whatever it holds.
          pending += `"${buffer.subarray(0, literalLeft).toString('utf8').replace(/[\\"]/g, '\\$&')}"`;
          buffer = buffer.subarray(literalLeft);
          literalLeft = 0;
          continue;
        }
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        const literal = /\{(\d+)\}$/.exec(line);
        if (literal) {
          pending += line.slice(0, literal.index);
          literalLeft = Number(literal[1]);
          write('+ Ready for literal data\r\n');
          if (literalLeft === 0) pending += '""';
          continue;
        }
        const full = pending + line;
        pending = '';
        execute(full);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    user, password, commands,
    deliver(raw, deliverOptions = {}) {
      const mailbox = box(deliverOptions.mailbox);
      const message = { uid: mailbox.uidNext++, flags: new Set(deliverOptions.flags ?? []), raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw.replace(/\r?\n/g, '\r\n')), at: deliverOptions.at ?? new Date() };
      mailbox.messages.push(message);
      return message.uid;
    },
    mailbox: box,
    recreate(name = 'INBOX') {
      const mailbox = box(name);
      mailbox.uidValidity = ++validity;
      mailbox.uidNext = 1;
      mailbox.messages = [];
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
