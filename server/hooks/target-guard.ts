// SSRF guard for hook targets. In production a target must be https and every address its name
// resolves to must be public; the check runs at subscribe time and again inside the connection's
// own DNS lookup at delivery time, so the address we connect to is the address we checked
// (a name that later re-resolves to 169.254.169.254 cannot slip through).
import dns from 'node:dns';
import net, { BlockList } from 'node:net';
import type { Config } from '../config';

export class TargetRefusedError extends Error {
  override name = 'TargetRefusedError';
}

type GuardConfig = Pick<Config, 'isProduction' | 'HOOKS_ALLOW_PRIVATE_TARGETS'>;

const blocked = new BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net4, bits, 'ipv4');
}
for (const [net6, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local (includes AWS's fd00:ec2::254 metadata)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
] as const) {
  blocked.addSubnet(net6, bits, 'ipv6');
}

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

/** IPv4 hidden inside IPv6 (::ffff:a.b.c.d, ::ffff:7f00:1, NAT64 64:ff9b::/96) is checked as IPv4. */
function embeddedIpv4(ip: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(ip);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2] as string, 16);
  const lo = parseInt(m[3] as string, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export function isBlockedAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(ip);
    return v4 !== undefined ? blocked.check(v4, 'ipv4') : blocked.check(ip, 'ipv6');
  }
  return true; // not an address at all: refuse rather than guess
}

const bareHost = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** The checks that need no DNS: scheme, credentials, and in production literal addresses and metadata names. */
export function checkTargetSyntax(raw: string, config: GuardConfig): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError('must be an absolute URL');
  }
  const host = bareHost(url);
  if (url.username || url.password) throw new TargetRefusedError('must not contain credentials');
  if (url.protocol === 'http:') {
    if (config.isProduction) throw new TargetRefusedError('must use https');
    if (!isLoopbackHost(host))
      throw new TargetRefusedError('must use https (http is allowed only to loopback outside production)');
  } else if (url.protocol !== 'https:') {
    throw new TargetRefusedError('must use https');
  }
  if (mustCheckAddresses(config)) {
    if (METADATA_NAMES.has(host) || isLoopbackHost(host))
      throw new TargetRefusedError('must not point at an internal host');
    if (net.isIP(host) && isBlockedAddress(host))
      throw new TargetRefusedError('must not point at a private, loopback or link-local address');
  }
  url.hash = '';
  return url;
}

const mustCheckAddresses = (config: GuardConfig): boolean =>
  config.isProduction && !config.HOOKS_ALLOW_PRIVATE_TARGETS;

/** Subscribe-time check: syntax, then (in production) every address the name resolves to. */
export async function checkTarget(raw: string, config: GuardConfig): Promise<URL> {
  const url = checkTargetSyntax(raw, config);
  if (mustCheckAddresses(config) && !net.isIP(bareHost(url))) {
    await resolveChecked(bareHost(url));
  }
  return url;
}

async function resolveChecked(host: string): Promise<dns.LookupAddress[]> {
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new TargetRefusedError(`host ${host} does not resolve`);
  }
  if (addresses.length === 0 || addresses.some((a) => isBlockedAddress(a.address))) {
    throw new TargetRefusedError('resolves to a private, loopback or link-local address');
  }
  return addresses;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * The `lookup` given to http(s).request for a delivery: the connection uses exactly the addresses
 * checked here. Outside production (or with HOOKS_ALLOW_PRIVATE_TARGETS) it is the plain lookup.
 */
export function guardedLookup(config: GuardConfig): net.LookupFunction {
  if (!mustCheckAddresses(config)) return dns.lookup as unknown as net.LookupFunction;
  return ((host: string, options: dns.LookupOptions, callback: LookupCallback) => {
    resolveChecked(host).then(
      (addresses) => {
        if (options.all) return callback(null, addresses);
        const first = addresses[0] as dns.LookupAddress;
        callback(null, first.address, first.family);
      },
      (err: Error) => callback(Object.assign(err, { code: 'ETARGETREFUSED' }), ''),
    );
  }) as unknown as net.LookupFunction;
}
