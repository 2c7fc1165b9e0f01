/** JSON requests to an emulator listening on a real port (fetch over a socket). */
import { request as nodeRequest } from "node:http";
import { type CallOptions, jsonHeaders, parseJson } from "./emulator.js";
import { API, USERS, type User } from "./fixtures.js";

export interface Http {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface HttpOptions extends CallOptions {
  /** Sent as the Cookie header. */
  cookie?: string;
}

/** One request to a running emulator; `path` is the full path (e.g. `${API}/webhooks/search`). */
export async function httpRequest(base: string, method: string, path: string, body?: unknown, opts: HttpOptions = {}): Promise<Http> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: jsonHeaders(body !== undefined || opts.raw !== undefined, opts),
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, body: parseJson(text), text, headers: res.headers };
}

/** One JSON request to a running emulator (POST unless told otherwise). */
export function http(base: string, path: string, body?: unknown, token?: string, method = "POST"): Promise<Http> {
  return httpRequest(base, method, path, body, { token });
}

/** Like http(), but never throws: network failures come back as status 0 with the error. */
export async function tryHttp(
  base: string,
  path: string,
  body: unknown,
  token?: string,
  method = "POST",
): Promise<{ status: number; body: any; text: string; error?: string }> {
  try {
    return await http(base, path, body, token, method);
  } catch (err) {
    return { status: 0, body: undefined, text: "", error: String((err as Error)?.cause ?? err) };
  }
}

export interface HttpLoginOptions {
  org_id?: number;
  namespace?: string;
  /** Instead of the fixture user's password (fixtures of a test's own). */
  password?: string;
  /** Sends the login request instead of httpRequest (to record it, say); gets the same arguments. */
  send?: (
    base: string,
    method: string,
    path: string,
    body: unknown,
    opts: HttpOptions,
  ) => Promise<{ status: number; body: any; text: string }>;
}

/** Logs a fixture user in over HTTP (POST /auth/token/full) and returns the bearer token; throws unless 200. */
export async function httpLogin(base: string, user: User = "admin", opts: HttpLoginOptions = {}): Promise<string> {
  const { username, password } = USERS[user];
  const body = { username, password: opts.password ?? password, ...(opts.org_id !== undefined && { org_id: opts.org_id }) };
  const send = opts.send ?? httpRequest;
  let res: { status: number; body: any; text: string };
  try {
    res = await send(base, "POST", `${API}/auth/token/full`, body, { namespace: opts.namespace });
  } catch (err) {
    throw new Error(`login of ${username} at ${base} failed: ${String((err as Error)?.cause ?? err)}`);
  }
  if (res.status !== 200) throw new Error(`login of ${username} at ${base} failed: ${res.status} ${res.text}`);
  return res.body.token;
}

/**
 * One request over node:http, for headers fetch will not send as given (Host, an Origin of any
 * page): `headers` go out exactly as written; no content type is added.
 */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
): Promise<Http> {
  const target = new URL(base);
  return new Promise<Http>((resolve, reject) => {
    const req = nodeRequest(
      { host: target.hostname, port: target.port, method, path, headers: { ...opts.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, body: parseJson(text), text, headers });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}
