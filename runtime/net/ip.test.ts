import { describe, expect, it } from 'vitest';
import { blockedReason, formatIp, parseIp, parseRange } from './ip.js';
import { AllowList } from './guard.js';

function reason(text: string): string | undefined {
  const address = parseIp(text);
  if (!address) throw new Error(`test address ${text} did not parse`);
  return blockedReason(address);
}

describe('parseIp', () => {
  it('parses IPv4, IPv6, bracketed IPv6 and embedded dotted quads', () => {
    expect(formatIp(parseIp('10.1.2.3')!)).toBe('10.1.2.3');
    expect(formatIp(parseIp('[::1]')!)).toBe('0:0:0:0:0:0:0:1');
    expect(formatIp(parseIp('::ffff:127.0.0.1')!)).toBe('0:0:0:0:0:ffff:7f00:1');
    expect(formatIp(parseIp('2001:db8::8a2e:370:7334')!)).toBe('2001:db8:0:0:0:8a2e:370:7334');
  });

  it('refuses hostnames and the odd IPv4 spellings that only URLs normalise', () => {
    for (const text of ['example.com', '2130706433', '0x7f.1', '127.1', '0177.0.0.1', '1.2.3.256', ':::1']) {
      expect(parseIp(text)).toBeUndefined();
    }
  });

  it('parses CIDRs and refuses bad prefixes', () => {
    expect(parseRange('10.0.0.0/8')?.prefix).toBe(8);
    expect(parseRange('fd00::/8')?.prefix).toBe(8);
    expect(parseRange('1.2.3.4')?.prefix).toBe(32);
    expect(parseRange('1.2.3.4/33')).toBeUndefined();
  });
});

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['10.0.0.1', 'private'], ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'], ['0.0.0.0', 'this network'], ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'], ['::1', 'loopback'], ['::', 'unspecified'], ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique-local'], ['fc00::1', 'unique-local'], ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'], ['::ffff:7f00:1', 'loopback'], ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::10.0.0.1', 'NAT64'], ['64:ff9b::a9fe:a9fe', 'link-local'], ['2002:7f00:1::', '6to4'],
    ['::127.0.0.1', 'IPv4-compatible'], ['100.100.100.200', 'carrier-grade NAT'], ['fd00:ec2::254', 'unique-local'],
  ])('blocks %s (%s)', (address, why) => {
    expect(reason(address)).toContain(why);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'lets the public address %s through', (address) => {
      expect(reason(address)).toBeUndefined();
    },
  );
});

describe('AllowList', () => {
  it('matches exact hosts, single IPs and v4/v6 CIDRs, also through IPv4-mapped addresses', () => {
    const allow = new AllowList(['Intranet.Example.', '127.0.0.1', '10.1.0.0/16', 'fd00::/8']);
    expect(allow.allowsHost('intranet.example')).toBe(true);
    expect(allow.allowsHost('other.example')).toBe(false);
    expect(allow.allowsAddress(parseIp('127.0.0.1')!)).toBe(true);
    expect(allow.allowsAddress(parseIp('::ffff:127.0.0.1')!)).toBe(true);
    expect(allow.allowsAddress(parseIp('10.1.200.3')!)).toBe(true);
    expect(allow.allowsAddress(parseIp('10.2.0.1')!)).toBe(false);
    expect(allow.allowsAddress(parseIp('fd01::5')!)).toBe(true);
  });

  it('refuses a malformed CIDR instead of silently treating it as a hostname', () => {
    expect(() => new AllowList(['10.0.0.0/40'])).toThrow(/not a valid CIDR/);
  });
});
