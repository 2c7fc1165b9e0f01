import type { Context } from "hono";
import type { AppEnv } from "./app-env.js";

/**
 * A request header (name in lower case), read from Node's own header object when the request came
 * through a socket. Hono's c.req.header() makes @hono/node-server build a fetch Headers object from
 * the raw headers first, which costs more than the rest of a small read's own work (bench/PROFILE.md);
 * everything on the request path reads headers through here. A repeated header is joined with ", ",
 * as Headers.get() does, except where Node keeps only the first (Host, Content-Type, Authorization…).
 */
export function requestHeader(c: Context<AppEnv>, name: string): string | undefined {
  const headers = c.env?.incoming?.headers;
  if (!headers) return c.req.header(name);
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}
