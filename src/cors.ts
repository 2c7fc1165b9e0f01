import type { Context } from "hono";
import type { AppEnv } from "./app-env.js";
import { requestHeader } from "./request-header.js";

const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|([a-z0-9-]{1,63}\.)+localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;
const ALLOW_HEADERS =
  "Authorization, Content-Type, Accept, Accept-Language, X-Requested-By, X-Org-Selector, X-Emulator-Namespace, X-Emulator-Scenario, X-Emulator-Admin-Token";

/** The browser origins the emulator accepts: any http(s) localhost (and *.localhost) origin, or exactly `allowed`. */
export function originPermits(allowed: string[]): (origin: string) => boolean {
  return (origin) => (allowed.length ? allowed.includes(origin) : LOCALHOST_ORIGIN.test(origin));
}

/**
 * A page of the emulator itself (the dashboard): its Origin names the Host the request was sent
 * to. That Host passed the allow-list, so a rebound DNS name never gets here.
 */
export function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  const at = origin.indexOf("://");
  return at > 0 && origin.length - at - 3 === host.length && origin.slice(at + 3).toLowerCase() === host.toLowerCase();
}

/**
 * CORS for browser apps on another port: any localhost origin by default, or exactly `allowed`.
 * Answers a preflight itself; otherwise sets the headers and returns undefined.
 * Headers are set before the handler runs (setting them afterwards makes node-server rebuild the
 * response, which costs more than the rest of a small request).
 */
export function cors(
  allowed: string[],
  onRejected: (origin: string, preflight: boolean) => void = () => {},
): (c: Context<AppEnv>) => Response | undefined {
  const permits = originPermits(allowed);
  return (c) => {
    const origin = requestHeader(c, "origin");
    const ok = origin !== undefined && permits(origin);
    if (origin !== undefined && !ok && !sameOrigin(origin, c.env?.incoming?.headers.host ?? c.req.header("host"))) {
      onRejected(origin, c.req.method === "OPTIONS");
    }
    if (ok) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Allow-Credentials", "true");
    }
    // Any c.header() makes Hono build a Headers object for the response, a measurable cost on
    // every call: requests without an Origin (SDKs, curl, tests) get no CORS headers at all.
    if (origin !== undefined) c.header("Vary", "Origin");
    if (c.req.method === "OPTIONS") {
      if (ok) {
        c.header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        c.header("Access-Control-Allow-Headers", requestHeader(c, "access-control-request-headers") ?? ALLOW_HEADERS);
        c.header("Access-Control-Max-Age", "600");
      }
      return c.body(null, 204);
    }
    return undefined;
  };
}
