import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Resolver resolves a host name to every address it has (injectable so tests can play hostile DNS). */
export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** BlockedTargetError is a target the guard refuses; retrying cannot help, so the delivery is dead-lettered. */
export class BlockedTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedTargetError';
  }
}

// Loopback, "this network", private (RFC 1918, ULA), shared CGNAT (also Alibaba's metadata 100.100.100.200),
// link-local (AWS/GCP/Azure metadata 169.254.169.254, fe80::/10), benchmarking, multicast, reserved,
// and the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4), checked on the embedded address.
const V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;
const V6 = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const;

const blocked = new BlockList();
for (const [net, prefix] of V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6) blocked.addSubnet(net, prefix, 'ipv6');

/** embeddedV4 returns the IPv4 address inside an IPv4-mapped, -compatible, NAT64 or 6to4 IPv6 address. */
export function embeddedV4(address: string): string | null {
  const groups = expandV6(address);
  if (!groups) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && (groups[5] === 0xffff || groups[5] === 0)) return v4(groups[6], groups[7]); // ::ffff:a.b.c.d, ::a.b.c.d
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6], groups[7]); // 64:ff9b::/96
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]); // 6to4
  return null;
}

function expandV6(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === null ? [] : Array(8 - h.length - t.length).fill('0');
  const all = [...h, ...fill, ...t].map((g) => parseInt(g, 16));
  return all.length === 8 ? all : null;
}

/** isBlockedAddress: may a webhook not connect to this IP literal? */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const inner = embeddedV4(address);
  if (inner !== null) return blocked.check(inner, 'ipv4');
  return blocked.check(address, 'ipv6');
}

/** GuardedTarget is a URL the guard accepted, with the address to connect to (pinned: no second lookup). */
export interface GuardedTarget {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * TargetGuard is the SSRF guard: a webhook URL is resolved once, every address it resolves to is checked, and
 * the connection then goes to the checked address (so a DNS answer that changes between check and connect,
 * "DNS rebinding", cannot slip through). `webhooks.allowed_hosts` lists host names (matched on the URL's
 * host), IPs or CIDRs (matched on the resolved addresses) that are allowed although blocked by default.
 * The WHATWG URL parser has already turned decimal, octal and hex IPv4 forms into dotted quads.
 */
export class TargetGuard {
  private readonly allowedNames = new Set<string>();
  private readonly allowedNets = new BlockList();

  constructor(
    allowedHosts: readonly string[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    for (const entry of allowedHosts) {
      const [ip, prefix] = entry.replace(/^\[|\]$/g, '').split('/');
      const family = isIP(ip);
      if (family) {
        const type = family === 4 ? 'ipv4' : 'ipv6';
        if (prefix === undefined) this.allowedNets.addAddress(ip, type);
        else this.allowedNets.addSubnet(ip, Number(prefix), type);
      } else this.allowedNames.add(entry.toLowerCase());
    }
  }

  async check(raw: string): Promise<GuardedTarget> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new BlockedTargetError('not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BlockedTargetError('only http and https');
    if (url.username || url.password) throw new BlockedTargetError('credentials in the URL');
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const literal = isIP(host);
    const addresses = literal ? [{ address: host, family: literal }] : await this.lookup(host);
    if (!addresses.length) throw new Error(`${host} does not resolve`);
    const byName = this.allowedNames.has(host);
    for (const a of addresses) {
      const allowed = byName || this.allowedNets.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4');
      if (!allowed && isBlockedAddress(a.address))
        throw new BlockedTargetError(
          `${host} resolves to ${a.address}, a loopback, private, link-local or metadata address`,
        );
    }
    return { url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
  }

  private async lookup(host: string) {
    try {
      return await this.resolve(host);
    } catch (e) {
      // Not a BlockedTargetError: DNS trouble can pass, so the delivery is retried.
      throw new Error(`${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}
