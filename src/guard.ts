/** The Host allow-list and the admin routes' rules (docs/decisions.md, "Admin surface"; README, "Security"). */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { addressKind, hostHeaderName, isLocalhostName, normalizeHost } from "./addresses.js";
import type { AppEnv } from "./app-env.js";
import type { EmulatorConfig } from "./config.js";
import { originPermits, sameOrigin } from "./cors.js";
import { ApiError } from "./errors.js";
import { requestHeader } from "./request-header.js";

/** The admin routes' prefix; the guard below applies to everything under it. */
export const ADMIN_BASE = "/_emulator";
const JSON_TYPE = /^application\/(.+\+)?json\b/i;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** The webhook receiver of the inbox: it takes what a cluster POSTs (multipart), like any receiver. */
const INBOX_RECEIVER = /^\/_emulator\/inbox\/[^/]+$/;
/** The dashboard's pages and assets: they hold no data (every datum is fetched with the token), so they need none. */
const DASHBOARD = /^\/_emulator\/ui(\/|$)/;

/**
 * The Host allow-list (every request): localhost, *.localhost, 127.0.0.0/8, [::1], the bind
 * address and the --allowed-host names. A page on a rebound DNS name reaches the emulator with its
 * own name in Host, so it is refused. No Host at all (in-process app.request, HTTP/1.0) is allowed.
 */
export function hostCheck(config: Pick<EmulatorConfig, "host" | "allowedHosts">): (host: string | undefined) => void {
  const named = new Set([normalizeHost(config.host), ...config.allowedHosts.map(normalizeHost)]);
  const seen = new Map<string, boolean>();
  const allowed = (value: string): boolean => {
    const name = hostHeaderName(value);
    if (name === null) return false;
    if (named.has(name) || isLocalhostName(name) || name === "::1") return true;
    return /^127\./.test(name) && addressKind(name) === "loopback";
  };
  return (host) => {
    if (host === undefined) return;
    let ok = seen.get(host);
    if (ok === undefined) {
      ok = allowed(host);
      if (seen.size >= 256) seen.clear();
      seen.set(host, ok);
    }
    if (!ok) {
      const name = (hostHeaderName(host) ?? host).slice(0, 100);
      throw new ApiError(
        403,
        `Host ${JSON.stringify(name)} is not a name this emulator answers to (a guard against DNS rebinding). ` +
          `Start it with --allowed-host ${/^[\w.-]+$/.test(name) ? name : "NAME"} to accept that name.`,
      );
    }
  };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * The rules of the admin surface (/_emulator/*), which a web page must not be able to drive: a
 * present Origin must be an allowed one (the CORS list) or the emulator's own (the dashboard's
 * pages, served under the Host that passed the allow-list); with an admin token, the request
 * carries it (GET /_emulator/health and the dashboard's pages stay open); a request that carries a
 * body says application/json, so no form or text/plain POST (which needs no CORS preflight) gets through.
 */
export function adminCheck(config: Pick<EmulatorConfig, "corsOrigins" | "adminToken">): (c: Context<AppEnv>) => void {
  const permits = originPermits(config.corsOrigins);
  const token = config.adminToken ? digest(config.adminToken) : null;
  return (c) => {
    const origin = requestHeader(c, "origin");
    if (origin !== undefined && !permits(origin) && !sameOrigin(origin, requestHeader(c, "host"))) {
      throw new ApiError(
        403,
        `Origin ${JSON.stringify(origin.slice(0, 200))} may not call the emulator's admin routes: they accept ` +
          (config.corsOrigins.length
            ? `only the --cors-origin list.`
            : "http(s) origins on localhost, 127.x or [::1] (or the --cors-origin list)."),
      );
    }
    const method = c.req.method;
    if (method === "OPTIONS") return;
    if (method === "POST" && INBOX_RECEIVER.test(c.req.path)) return;
    const open = (method === "GET" || method === "HEAD") && (c.req.path === `${ADMIN_BASE}/health` || DASHBOARD.test(c.req.path));
    if (token && !open) {
      const given = requestHeader(c, "x-emulator-admin-token");
      if (given === undefined || !timingSafeEqual(digest(given), token)) {
        throw new ApiError(
          401,
          `The emulator's admin routes need the X-Emulator-Admin-Token header with the value of --admin-token${given === undefined ? "" : " (the one given does not match)"}.`,
          10097,
        );
      }
    }
    if (BODY_METHODS.has(method)) {
      const type = requestHeader(c, "content-type");
      const hasBody = Number(requestHeader(c, "content-length") ?? 0) > 0 || requestHeader(c, "transfer-encoding") !== undefined;
      if (type !== undefined ? !JSON_TYPE.test(type) : hasBody) {
        throw new ApiError(
          415,
          `Admin requests with a body must be sent as Content-Type: application/json (got ${type === undefined ? "none" : JSON.stringify(type.slice(0, 100))}).`,
          10002,
        );
      }
    }
  };
}
