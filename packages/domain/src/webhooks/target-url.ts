import { BlockList, isIP } from 'node:net';
import { invalid } from '../errors.ts';
import type { HostResolver } from '../ports.ts';

/**
 * Where we agree to send requests (SSRF rules, ADR 0005): HTTPS only, no credentials in the URL, and every address
 * the host resolves to must be public — no loopback, private, link-local (cloud metadata), CGNAT, multicast or
 * reserved range. The local cloud allows http and private addresses (`allowPrivate`), its receivers being on
 * 127.0.0.1 — but never link-local ones (169.254.0.0/16, fe80::/10: where cloud metadata services answer) or the
 * unspecified address. Checked at registration and again before every attempt, since DNS answers change.
 */

const blocked = new BlockList();
for (const [net, prefix] of [
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
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedIpv4(ip: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m) return m[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return undefined;
  const hi = Number.parseInt(hex[1] ?? '0', 16);
  const lo = Number.parseInt(hex[2] ?? '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Never a target, not even in local development: cloud metadata and link-local services, "any address". */
const neverAllowed = new BlockList();
neverAllowed.addSubnet('169.254.0.0', 16, 'ipv4');
neverAllowed.addSubnet('0.0.0.0', 8, 'ipv4');
neverAllowed.addSubnet('fe80::', 10, 'ipv6');
neverAllowed.addSubnet('::', 128, 'ipv6');
// The EC2 instance metadata service's IPv6 address.
neverAllowed.addAddress('fd00:ec2::254', 'ipv6');

/** True for link-local, metadata and unspecified addresses (also inside IPv4-mapped IPv6). */
export function isNeverAllowed(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return neverAllowed.check(ip, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(ip);
  return v4 ? isNeverAllowed(v4) : neverAllowed.check(ip, 'ipv6');
}

/** True for an address on the public internet. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !blocked.check(ip, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(ip);
  if (v4) return isPublicAddress(v4);
  return !blocked.check(ip, 'ipv6');
}

export interface TargetPolicy {
  readonly allowPrivate: boolean;
  readonly resolver: HostResolver;
}

const refuse = (message: string) => invalid(message, [{ path: 'url', message }]);

/** Throws a validation error (field `url`) if we must not send to `raw`; returns the parsed URL otherwise. */
export async function assertDeliverableUrl(raw: string, policy: TargetPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('must be an absolute URL');
  }
  const schemes = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw refuse('must use https');
  if (url.username || url.password) throw refuse('must not contain credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await policy.resolver.resolve(host);
  } catch {
    throw refuse(`the host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw refuse(`the host ${host} does not resolve`);
  if (addresses.some(isNeverAllowed))
    throw refuse('must not point to a link-local or metadata address (169.254.0.0/16, fe80::/10)');
  if (policy.allowPrivate) return url;
  if (!addresses.every(isPublicAddress))
    throw refuse('must point to a public address (private, loopback and link-local addresses are refused)');
  return url;
}
