/** Host names and IP addresses: which are this machine, which are private, and how a Host header names one. */
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";

/** The kinds of address an outgoing call may target (docs/decisions.md, "Outgoing calls"). */
export type AddressKind = "loopback" | "link-local" | "metadata" | "private" | "reserved" | "public";

/** 127.0.0.0/8 and valid dotted quads only (what a URL parser leaves of any IPv4 spelling). */
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Octets(address: string): number[] | null {
  const m = IPV4.exec(address);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** The 8 groups of an IPv6 address (with an embedded dotted quad expanded), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const o = ipv4Octets(quad[1]);
    if (!o) return null;
    text = `${text.slice(0, quad.index)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => Number.parseInt(g, 16)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const groups = [...head, ...new Array(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function kindOfV4([a, b, c, d]: number[]): AddressKind {
  if (a === 127 || a === 0) return "loopback"; // 0.0.0.0/8 reaches this machine on Linux
  if (a === 169 && b === 254) return c === 169 && d === 254 ? "metadata" : "link-local";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return "private";
  if (a >= 224 || (a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19))) return "reserved";
  return "public";
}

/** What kind of address an IP literal is; null when `address` is not one. */
export function addressKind(address: string): AddressKind | null {
  const bare = address.replace(/^\[|\]$/g, "");
  const v4 = ipv4Octets(bare);
  if (v4) return kindOfV4(v4);
  if (isIP(bare) !== 6) return null;
  const g = ipv6Groups(bare);
  if (!g) return null;
  const embedded = [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff];
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) and 64:ff9b::a.b.c.d (NAT64) carry an IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0) && (g[6] !== 0 || g[5] === 0xffff)) {
    return kindOfV4(embedded);
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return kindOfV4(embedded);
  if (g.slice(0, 7).every((x) => x === 0) && g[7] <= 1) return "loopback"; // :: and ::1
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) return "metadata";
  if ((g[0] & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0] & 0xfe00) === 0xfc00) return "private";
  if ((g[0] & 0xff00) === 0xff00 || (g[0] === 0x2001 && g[1] === 0x0db8)) return "reserved";
  return "public";
}

/** Host names that name cloud metadata services (their addresses are caught by addressKind). */
export const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata"]);

/** localhost and *.localhost: names that always mean this machine (RFC 6761). */
export const isLocalhostName = (name: string): boolean => name === "localhost" || name.endsWith(".localhost");

/** A host name or IP literal in one spelling: lowercase, IPv6 without brackets, no trailing dot. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
}

/** Whether a bind address (or host name) means this machine only: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = normalizeHost(host);
  if (isLocalhostName(h)) return true;
  if (h === "0.0.0.0" || h === "::") return false; // every interface
  return addressKind(h) === "loopback";
}

/** The host name of a Host header value ("name:port", "[v6]:port"), normalized; null when malformed. */
export function hostHeaderName(value: string): string | null {
  const v = value.trim();
  if (v.startsWith("[")) {
    const end = v.indexOf("]");
    if (end < 0 || !/^(:\d*)?$/.test(v.slice(end + 1))) return null;
    return normalizeHost(v.slice(0, end + 1));
  }
  const colon = v.indexOf(":");
  if (colon >= 0 && (v.indexOf(":", colon + 1) >= 0 || !/^\d*$/.test(v.slice(colon + 1)))) return null;
  const name = normalizeHost(colon >= 0 ? v.slice(0, colon) : v);
  return /^[a-z0-9._-]+$/.test(name) ? name : null;
}

/** The addresses a bind address answers on: every interface's for 0.0.0.0 and ::, else itself. */
export function boundAddresses(host: string): Set<string> {
  const h = normalizeHost(host);
  if (h !== "0.0.0.0" && h !== "::") return new Set([h]);
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return new Set([h, ...all.map((a) => normalizeHost(a.address))]);
}
