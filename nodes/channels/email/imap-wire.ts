/**
 * The IMAP4rev1 wire format (RFC 3501 §4, §7.4.2) as the local IMAP fake needs it: reading a
 * command's arguments (atoms, quoted strings, literals, parenthesised lists) and writing strings,
 * literals and ENVELOPE structures.
 */

/** One command argument: an atom or string, or a parenthesised list of them. */
export type ImapValue = string | ImapValue[];

/**
 * Splits a command's argument text (literals already inlined by the reader) into values. Atoms keep
 * their brackets (`BODY.PEEK[HEADER.FIELDS (FROM)]` is one atom); quoted strings are unescaped.
 */
export function parseArguments(text: string): ImapValue[] {
  let i = 0;
  function list(closing: string | undefined): ImapValue[] {
    const values: ImapValue[] = [];
    while (i < text.length) {
      const c = text[i];
      if (c === ' ') { i++; continue; }
      if (c === closing) { i++; return values; }
      if (c === '(') { i++; values.push(list(')')); continue; }
      if (c === '"') {
        let value = '';
        for (i++; i < text.length && text[i] !== '"'; i++) {
          if (text[i] === '\\') i++;
          value += text[i] ?? '';
        }
        i++;
        values.push(value);
        continue;
      }
      let atom = '';
      let depth = 0;
      while (i < text.length) {
        const ch = text[i] ?? '';
        if (ch === '[') depth++;
        if (ch === ']') depth--;
        if (depth <= 0 && (ch === ' ' || ch === ')' || ch === '(')) break;
        atom += ch;
        i++;
      }
      values.push(atom);
    }
    return values;
  }
  return list(undefined);
}

/** A string as IMAP sends it: quoted when it can be, a literal otherwise; NIL for null. */
export function imapString(value: string | null | undefined): string {
  if (value === null || value === undefined) return 'NIL';
  if (/^[\x20-\x7e]*$/.test(value) && !/["\\]/.test(value)) return `"${value}"`;
  return `{${Buffer.byteLength(value)}}\r\n${value}`;
}

/** One address of an ENVELOPE: (name adl mailbox host). */
export interface EnvelopeAddress { name?: string; address: string }

function addressList(addresses: EnvelopeAddress[]): string {
  if (addresses.length === 0) return 'NIL';
  return `(${addresses.map((a) => {
    const at = a.address.lastIndexOf('@');
    return `(${imapString(a.name || null)} NIL ${imapString(at < 0 ? a.address : a.address.slice(0, at))} ${imapString(at < 0 ? null : a.address.slice(at + 1))})`;
  }).join('')})`;
}

/** The ENVELOPE structure of RFC 3501 §7.4.2 for a message's headers. */
export function envelope(headers: { date?: string; subject?: string; from: EnvelopeAddress[]; to: EnvelopeAddress[]; cc: EnvelopeAddress[]; replyTo: EnvelopeAddress[]; inReplyTo?: string; messageId?: string }): string {
  const from = addressList(headers.from);
  const replyTo = headers.replyTo.length > 0 ? addressList(headers.replyTo) : from;
  return `(${imapString(headers.date)} ${imapString(headers.subject)} ${from} ${from} ${replyTo} ${addressList(headers.to)} ${addressList(headers.cc)} NIL ${imapString(headers.inReplyTo)} ${imapString(headers.messageId)})`;
}

/** A message's internal date as IMAP writes it: `"17-Jul-1996 02:44:25 -0700"`. */
export function internalDate(at: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `"${pad(at.getUTCDate())}-${months[at.getUTCMonth()]}-${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000"`;
}

/**
 * Whether `value` is in an IMAP sequence set (`1,3:5,7:*`), with `*` standing for `largest`.
 */
export function inSequenceSet(set: string, value: number, largest: number): boolean {
  return set.split(',').some((range) => {
    const [a, b] = range.split(':');
    const lo = a === '*' ? largest : Number(a);
    const hi = b === undefined ? lo : b === '*' ? largest : Number(b);
    return value >= Math.min(lo, hi) && value <= Math.max(lo, hi);
  });
}
