/**
 * Which outgoing calls really happen (docs/decisions.md, "Outgoing calls"): a URL is sent to for
 * real, simulated (a 200 without any network use), or refused with the reason as the error.
 */
import { type AddressKind, addressKind, isLocalhostName, METADATA_NAMES, normalizeHost } from "../addresses.js";

/** The address a call was checked against, and that it must connect to (no second DNS lookup). */
export interface Pin {
  address: string;
  family: 4 | 6;
}

/** `own`: the emulator's own inbox (/_emulator/inbox/<name> on its own port). */
export type Route = { kind: "real"; pin: Pin | null; own?: true } | { kind: "simulated" } | { kind: "refused"; error: string };

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

export interface TargetPolicy {
  liveWebhooks: boolean;
  allowPrivateTargets: boolean;
  /** `host:port` receivers opted in with --webhook-target (normalized by targetKey). */
  optedIn: ReadonlySet<string>;
  /** Where the emulator listens; null when it does not (in-process use). */
  own: { port: number; loopbackOnly: boolean; addresses: ReadonlySet<string> } | null;
  lookup: Lookup;
}

export const OWN_PORT_ERROR =
  "The webhook URL points at the emulator itself; only /_emulator/inbox/<name> may be used as a receiver there.";

/** The one path of the emulator's own port a webhook may point at (a receiver inbox). */
const INBOX_PATH = /^\/_emulator\/inbox\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~/-]*)?$/;

const defaultPort = (u: URL) => Number(u.port || (u.protocol === "https:" ? 443 : 80));

/** "host:port" as --webhook-target spells it, normalized ("[::1]:8080" → "::1:8080"). */
export function targetKey(host: string, port: number | string): string {
  return `${normalizeHost(host)}:${port}`;
}

/** Parses a --webhook-target value; null when it is not host:port. */
export function parseTarget(value: string): string | null {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(value.trim());
  if (!m || Number(m[2]) > 65535) return null;
  return targetKey(m[1], Number(m[2]));
}

const KIND_TEXT: Record<Exclude<AddressKind, "public" | "loopback">, string> = {
  metadata: "a cloud metadata address",
  "link-local": "a link-local address",
  private: "a private-network address",
  reserved: "a reserved address",
};

/** The most sensitive kind among a host's addresses. */
function worstKind(kinds: AddressKind[]): AddressKind {
  for (const k of ["metadata", "link-local", "private", "reserved", "loopback"] as const) if (kinds.includes(k)) return k;
  return "public";
}

/**
 * Where a URL may go. The emulator's own port is never a receiver (except its inbox path), whatever
 * name reaches it; --webhook-target receivers are always real; by default loopback receivers are
 * real while the emulator itself listens on loopback only, and everything else is simulated;
 * --live-webhooks makes public hosts real and refuses private, link-local and metadata addresses
 * (of every address a name resolves to) unless --allow-private-targets.
 */
export async function routeTo(rawUrl: string, policy: TargetPolicy): Promise<Route> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: "refused", error: "The URL is not a valid http or https URL." };
  }
  const host = normalizeHost(url.hostname);
  const port = defaultPort(url);
  const optedIn = policy.optedIn.has(targetKey(host, port));
  let addresses: { address: string; family: number }[];
  let pinned = false;
  const literal = addressKind(host);
  if (literal !== null) addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  else if (isLocalhostName(host)) addresses = [{ address: "127.0.0.1", family: 4 }];
  else if (!policy.liveWebhooks && !optedIn)
    return { kind: "simulated" }; // offline: no DNS either
  else {
    if (METADATA_NAMES.has(host) && !optedIn && !policy.allowPrivateTargets) {
      return { kind: "refused", error: refusal(host, "metadata") };
    }
    try {
      addresses = await policy.lookup(host);
    } catch {
      return { kind: "refused", error: `getaddrinfo ENOTFOUND ${host}` };
    }
    if (addresses.length === 0) return { kind: "refused", error: `getaddrinfo ENOTFOUND ${host}` };
    pinned = true;
  }
  const kinds = addresses.map((a) => addressKind(a.address) ?? "reserved");
  const own = policy.own;
  const pin: Pin | null = pinned ? { address: addresses[0]!.address, family: addresses[0]!.family === 6 ? 6 : 4 } : null;
  if (own && port === own.port && addresses.some((a, i) => kinds[i] === "loopback" || own.addresses.has(normalizeHost(a.address)))) {
    if (!INBOX_PATH.test(url.pathname)) return { kind: "refused", error: OWN_PORT_ERROR };
    return { kind: "real", pin, own: true };
  }
  if (optedIn) return { kind: "real", pin };
  const kind = worstKind(kinds);
  const loopbackHost = !own || own.loopbackOnly;
  if (kind === "public") return policy.liveWebhooks ? { kind: "real", pin } : { kind: "simulated" };
  if (kind === "loopback" && loopbackHost) return { kind: "real", pin };
  if (!policy.liveWebhooks) return { kind: "simulated" };
  if (policy.allowPrivateTargets) return { kind: "real", pin };
  return { kind: "refused", error: refusal(host, kind) };
}

function refusal(host: string, kind: Exclude<AddressKind, "public">): string {
  const what = kind === "loopback" ? "this machine (loopback), and the emulator listens beyond loopback" : KIND_TEXT[kind];
  return `The URL's host ${host} is ${what}: the emulator does not send there unless started with --allow-private-targets (or --webhook-target host:port).`;
}
