import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { hostname as ownHostname } from "node:os";

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

/** The 8 groups of an IPv6 address (a dotted IPv4 tail becomes the last two); null when it is not one. */
function ipv6Groups(ip: string): number[] | null {
  if (isIP(ip) !== 6) return null;
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const part = (t: string | undefined) => (t ? t.split(":").map((g) => parseInt(g, 16)) : []);
  const [h, t] = [part(head), part(tail)];
  return tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
}

const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");

/**
 * An IPv4 address hidden in IPv6 is judged as IPv4: mapped ::ffff:a.b.c.d (and SIIT ::ffff:0:a.b.c.d),
 * IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002:aabb:ccdd::/48. Teredo (2001::/32) and local NAT64
 * (64:ff9b:1::/48) carry addresses nobody can vouch for: 'private' outright.
 */
function embeddedIpv4(ip: string): string | "refuse" | null {
  const g = ipv6Groups(ip);
  if (!g) return null;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6], g[7]);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6], g[7]); // SIIT ::ffff:0:a.b.c.d
  if (zeros(0, 6) && (g[6] !== 0 || g[7] > 1)) return v4(g[6], g[7]); // ::a.b.c.d, not :: or ::1
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "refuse";
  if (g[0] === 0x2002) return v4(g[1], g[2]);
  if (g[0] === 0x2001 && g[1] === 0) return "refuse";
  return null;
}

export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "").split("%")[0];
  const inner = embeddedIpv4(bare);
  if (inner === "refuse") return true;
  if (inner) return blocked.check(inner, "ipv4");
  const family = isIP(bare);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return blocked.check(bare, family === 4 ? "ipv4" : "ipv6");
}

/**
 * A name as a resolver sees it: `localhost.` and `localhost` are the same host (a trailing dot only marks the name
 * as fully qualified), and case does not matter.
 */
const canonicalName = (host: string) => host.toLowerCase().replace(/\.+$/, "");

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** The hosts where plain http is tolerated, and only when private targets are allowed (development). */
function isDevelopmentHost(host: string): boolean {
  return LOCAL_NAMES.test(canonicalName(host)) || (isIP(host) !== 0 && isPrivateAddress(host));
}

/**
 * Names that never reach a public host: local suffixes, a single label (`db`, `postgres`: resolved through the
 * search domains to this network's own services) and this machine's own name.
 */
function isLocalName(host: string): boolean {
  const name = canonicalName(host);
  return LOCAL_NAMES.test(name) || !name.includes(".") || name === canonicalName(ownHostname());
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
  if (isIP(host) === 0 && isLocalName(host)) return { reason: "points at a local host name" };
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
