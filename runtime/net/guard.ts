import { lookup } from 'node:dns/promises';
import { OutboundBlockedError } from './errors.js';
import { blockedReason, embeddedIpv4, formatIp, inRange, parseIp, parseRange, type IpAddress, type IpRange } from './ip.js';

/** Resolves a hostname to every address it has (IPv4 and IPv6 literals as strings). */
export type Resolver = (host: string) => Promise<string[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), every address, in the order it gives them. */
export const systemResolver: Resolver = async (host) => {
  const results = await lookup(host, { all: true, verbatim: true });
  return results.map((r) => r.address);
};

/**
 * Names that point at the machine itself or at a cloud metadata service whatever DNS says. `.internal`
 * is reserved for private use (ICANN, 2024) and is where GCP/AWS put their metadata names.
 */
function blockedName(host: string): string | undefined {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'it names the local machine';
  if (['metadata', 'metadata.goog', 'instance-data'].includes(host) || host.endsWith('.internal')) {
    return 'it is a cloud metadata or internal-only name';
  }
  return undefined;
}

/** An address the socket may connect to: already checked. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/** Exceptions to the guard, from SWITCHYARD_OUTBOUND_ALLOW: exact hostnames, IPs and CIDRs. */
export class AllowList {
  private readonly hosts = new Set<string>();
  private readonly ranges: IpRange[] = [];

  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      const asRange = parseRange(entry);
      if (asRange) this.ranges.push(asRange);
      else if (entry.includes('/')) throw new Error(`outbound allow entry "${raw}" is not a valid CIDR`);
      else this.hosts.add(stripDot(entry));
    }
  }

  allowsHost(host: string): boolean {
    return this.hosts.has(host);
  }

  allowsAddress(address: IpAddress): boolean {
    const embedded = embeddedIpv4(address);
    return this.ranges.some((r) => inRange(address, r) || (embedded !== undefined && inRange(embedded.v4, r)));
  }
}

function stripDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** The hostname of a URL as a socket sees it: lowercase, no brackets, no trailing dot. */
export function socketHost(url: URL): string {
  const host = url.hostname.toLowerCase();
  return host.startsWith('[') ? host.slice(1, -1) : stripDot(host);
}

/**
 * Decides where a request to `url` may connect: resolves the host and checks EVERY address it resolves
 * to (one bad address is enough to refuse: a resolver may hand the socket any of them). The caller
 * pins the socket to the returned addresses so DNS cannot change its answer in between.
 */
export async function checkDestination(url: URL, allow: AllowList, resolve: Resolver): Promise<CheckedAddress[]> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundBlockedError(url.protocol.replace(/:$/, ''), `only http and https URLs may be requested, not ${url.protocol}`);
  }
  const host = socketHost(url);
  const literal = parseIp(host);
  if (literal) {
    checkAddress(host, literal, allow, undefined);
    return [{ address: formatIp(literal), family: literal.version }];
  }
  // An allowed name is trusted wholesale, including what it resolves to (e.g. an intranet API on 10/8).
  const trusted = allow.allowsHost(host);
  if (!trusted) {
    const why = blockedName(host);
    if (why) throw new OutboundBlockedError(host, why);
  }
  let resolved: string[];
  try {
    resolved = await resolve(host);
  } catch (error) {
    throw new OutboundBlockedError(host, `it does not resolve (${error instanceof Error ? error.message : String(error)})`);
  }
  if (resolved.length === 0) throw new OutboundBlockedError(host, 'it resolves to no address');
  return resolved.map((text) => {
    const address = parseIp(text);
    if (!address) throw new OutboundBlockedError(host, `the resolver returned "${text}", which is not an IP address`);
    if (!trusted) checkAddress(host, address, allow, text);
    return { address: formatIp(address), family: address.version };
  });
}

function checkAddress(host: string, address: IpAddress, allow: AllowList, resolvedText: string | undefined): void {
  if (allow.allowsAddress(address)) return;
  const why = blockedReason(address);
  if (!why) return;
  throw new OutboundBlockedError(host, resolvedText ? `it resolves to ${resolvedText}, ${why}` : `${formatIp(address)} is ${why}`);
}
