import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Addresses a webhook must never reach: loopback, private, link-local, CGNAT, multicast, reserved. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["100::", 64],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

/** An IPv4 address hidden in IPv6 (mapped ::ffff:a.b.c.d, or NAT64 64:ff9b::/96) is judged as IPv4. */
function embeddedIpv4(ip: string): string | null {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return null;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
}

export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "").split("%")[0];
  const v4 = embeddedIpv4(bare);
  if (v4) return blocked.check(v4, "ipv4");
  const family = isIP(bare);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return blocked.check(bare, family === 4 ? "ipv4" : "ipv6");
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** The hosts where plain http is tolerated, and only when private targets are allowed (development). */
function isDevelopmentHost(host: string): boolean {
  return LOCAL_NAMES.test(host) || (isIP(host) !== 0 && isPrivateAddress(host));
}

export type UrlProblem = { reason: string };

/** Checks that need no network: scheme, credentials, literal addresses and local names. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): URL | UrlProblem {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { reason: "not a valid URL" };
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowPrivate && isDevelopmentHost(host))) {
    return { reason: "must use https" };
  }
  if (url.username || url.password) return { reason: "must not carry credentials" };
  if (allowPrivate) return url;
  if (isIP(host) !== 0 && isPrivateAddress(host))
    return { reason: "points at a private, loopback or link-local address" };
  if (LOCAL_NAMES.test(host)) return { reason: "points at a local host name" };
  return url;
}

export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Every address a name resolves to must be public: one private answer is enough to refuse (DNS rebinding). */
export async function resolvePublic(host: string, resolve: Resolver): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = isIP(bare) !== 0 ? [bare] : await resolve(bare);
  if (addresses.length === 0) throw new SsrfError(`${host} does not resolve`);
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw new SsrfError(`${host} resolves to a private, loopback or link-local address`);
  return addresses;
}

export class SsrfError extends Error {}
