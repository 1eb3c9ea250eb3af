// Where outbound webhooks may go. By default only public unicast addresses: never loopback,
// private, link-local (cloud metadata at 169.254.169.254), unique-local, carrier-grade NAT (another
// metadata range) or any other special range that ipaddr.js knows. The name is checked when an
// endpoint is saved and again when each request connects (the lookup below), so a DNS name that
// later resolves to a private address (rebinding) is refused at delivery too.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why an address is refused, or null when it is a public unicast address. */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** An address-policy violation, with the range that refused it. */
export class RefusedDestinationError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    // The address itself is not told: an API key's holder would learn what internal names resolve to.
    super(`${host} resolves to a ${range} address: webhooks go to public addresses only (OMEGA_WEBHOOK_ALLOW_PRIVATE=true allows others)`);
    this.name = 'RefusedDestinationError';
  }
}

/** Every address `host` resolves to, refused ones first; throws RefusedDestinationError if any is refused. */
export async function checkHost(host: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const addresses: LookupAddress[] = ipaddr.isValid(bare)
    ? [{ address: bare, family: bare.includes(':') ? 6 : 4 }]
    : await new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(bare, { all: true }, (err, found) => (err ? reject(err) : resolve(found))));
  for (const a of addresses) {
    const range = refusedRange(a.address);
    if (range) throw new RefusedDestinationError(bare, a.address, range);
  }
}

/** A lookup for http.request that refuses what checkHost refuses, at connect time. */
export function guardedLookup(allowPrivate: boolean): LookupFunction | undefined {
  if (allowPrivate) return undefined;
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const range = refusedRange(a.address);
        if (range) return callback(new RefusedDestinationError(hostname, a.address, range), '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 4);
      callback(null, first.address, first.family);
    });
  };
}
