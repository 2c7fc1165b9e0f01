/** JSON requests to an emulator listening on a real port (fetch over a socket). */
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
