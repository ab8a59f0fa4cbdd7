import { isIP } from 'node:net';

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  version: 4 | 6;
  bytes: Uint8Array;
}

/** A CIDR range, e.g. `10.0.0.0/8` or `fc00::/7`. */
export interface IpRange {
  version: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

function parseV4(text: string): Uint8Array | undefined {
  // Only the canonical dotted quad: WHATWG URL has already turned `2130706433`, `0x7f.1`, `127.1` into it,
  // and net.isIP refuses the odd forms, so nothing else reaches here as an address.
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseV6(text: string): Uint8Array | undefined {
  let source = text.toLowerCase();
  const zone = source.indexOf('%');
  if (zone >= 0) source = source.slice(0, zone);
  const bytes = new Uint8Array(16);
  // A trailing dotted quad (`::ffff:127.0.0.1`) fills the last two groups.
  let tail: Uint8Array | undefined;
  const lastColon = source.lastIndexOf(':');
  if (source.slice(lastColon + 1).includes('.')) {
    tail = parseV4(source.slice(lastColon + 1));
    if (!tail) return undefined;
    source = `${source.slice(0, lastColon + 1)}0:0`;
  }
  const halves = source.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest] : head;
  if (groups.length !== 8) return undefined;
  for (let i = 0; i < 8; i++) {
    const group = groups[i] ?? '';
    if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
    const n = Number.parseInt(group, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  }
  if (tail) bytes.set(tail, 12);
  return bytes;
}

/** Parses an IPv4 or IPv6 literal (brackets allowed); undefined for anything else, e.g. a hostname. */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const version = isIP(bare);
  if (version === 4) {
    const bytes = parseV4(bare);
    return bytes ? { version: 4, bytes } : undefined;
  }
  if (version === 6) {
    const bytes = parseV6(bare);
    return bytes ? { version: 6, bytes } : undefined;
  }
  return undefined;
}

/** Parses `a.b.c.d/n`, `x::/n` or a bare address (a /32 or /128 range). */
export function parseRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash >= 0 ? text.slice(0, slash) : text);
  if (!address) return undefined;
  const max = address.version === 4 ? 32 : 128;
  if (slash < 0) return { ...address, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= max ? { ...address, prefix } : undefined;
}

export function inRange(address: IpAddress, range: IpRange): boolean {
  if (address.version !== range.version) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((address.bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

export function formatIp(address: IpAddress): string {
  if (address.version === 4) return [...address.bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((address.bytes[i] ?? 0) << 8) | (address.bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

function range(text: string): IpRange {
  const parsed = parseRange(text);
  if (!parsed) throw new Error(`bad built-in range ${text}`);
  return parsed;
}

/** Ranges no node may reach unless allowed, with the reason shown in the error. */
const blockedRanges: ReadonlyArray<{ range: IpRange; why: string }> = [
  ['0.0.0.0/8', 'a "this network" address'],
  ['10.0.0.0/8', 'a private address'],
  ['100.64.0.0/10', 'a carrier-grade NAT (shared) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0/12', 'a private address'],
  ['192.0.0.0/24', 'an IETF protocol assignment address'],
  ['192.0.2.0/24', 'a documentation address'],
  ['192.168.0.0/16', 'a private address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['198.51.100.0/24', 'a documentation address'],
  ['203.0.113.0/24', 'a documentation address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved or broadcast address'],
  ['::/128', 'the unspecified address'],
  ['::1/128', 'a loopback address'],
  ['64:ff9b:1::/48', 'a local-use NAT64 address'],
  ['100::/64', 'a discard-only address'],
  ['2001:db8::/32', 'a documentation address'],
  ['fc00::/7', 'a unique-local address'],
  ['fe80::/10', 'a link-local address'],
  ['fec0::/10', 'a site-local address'],
  ['ff00::/8', 'a multicast address'],
].map(([text, why]) => ({ range: range(text ?? ''), why: why ?? '' }));

/**
 * IPv6 forms that carry an IPv4 address a socket may end up talking to: IPv4-mapped (`::ffff:a.b.c.d`),
 * the deprecated IPv4-compatible `::a.b.c.d`, NAT64's well-known prefix and 6to4. Judged by the IPv4 inside.
 */
const embeddingRanges: ReadonlyArray<{ range: IpRange; offset: number; what: string }> = [
  { range: range('::ffff:0:0/96'), offset: 12, what: 'IPv4-mapped' },
  { range: range('::/96'), offset: 12, what: 'IPv4-compatible' },
  { range: range('64:ff9b::/96'), offset: 12, what: 'NAT64' },
  { range: range('2002::/16'), offset: 2, what: '6to4' },
];

/** The IPv4 address an IPv6 address carries, if it is one of the embedding forms. */
export function embeddedIpv4(address: IpAddress): { v4: IpAddress; what: string } | undefined {
  if (address.version !== 6) return undefined;
  for (const { range: r, offset, what } of embeddingRanges) {
    // `::` and `::1` sit inside ::/96 but are their own thing, reported by the table above.
    if (what === 'IPv4-compatible' && address.bytes.slice(0, 15).every((b) => b === 0) && (address.bytes[15] ?? 0) <= 1) continue;
    if (inRange(address, r)) return { v4: { version: 4, bytes: address.bytes.slice(offset, offset + 4) }, what };
  }
  return undefined;
}

/** Why an address must not be reached, or undefined when it is a public address. */
export function blockedReason(address: IpAddress): string | undefined {
  for (const { range: r, why } of blockedRanges) if (inRange(address, r)) return why;
  const embedded = embeddedIpv4(address);
  if (embedded) {
    const inner = blockedReason(embedded.v4);
    if (inner) return `an IPv6 address embedding ${formatIp(embedded.v4)} (${embedded.what}), ${inner}`;
  }
  return undefined;
}
