/** In-process emulators and calls through their app (no socket). */
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/index.js";
import { API, USERS, type User } from "./fixtures.js";

/** A fresh in-memory emulator (no disk, fixed seed) for one test. */
export function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return createEmulator({ seed: 42, log: () => {}, ...options });
}

export interface CallOptions {
  token?: string;
  namespace?: string;
  headers?: Record<string, string>;
  /** Raw body text (sent as-is instead of JSON.stringify(body)). */
  raw?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** Parses a response text as JSON; undefined when empty or not JSON. */
export function parseJson(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The request headers of a JSON call: content type (when there is a body), bearer token, namespace. */
export function jsonHeaders(hasBody: boolean, opts: CallOptions & { cookie?: string }): Record<string, string> {
  const headers: Record<string, string> = { ...opts.headers };
  if (hasBody) headers["content-type"] ??= "application/json";
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.namespace) headers["x-emulator-namespace"] = opts.namespace;
  if (opts.cookie) headers.cookie = opts.cookie;
  return headers;
}

/** One HTTP call through the app (in-process, no socket). Paths not starting with "/_" are under /api/rest/2.0. */
export async function call(emu: Emulator, method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<CallResult> {
  const res = await emu.app.request(path.startsWith("/_") ? path : `${API}${path}`, {
    method,
    headers: jsonHeaders(body !== undefined || opts.raw !== undefined, opts),
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: parseJson(text), text };
}

/** Logs a fixture user in (optionally into an org and a namespace) and returns the bearer token. */
export async function login(emu: Emulator, user: User = "admin", org_id?: number, namespace?: string): Promise<string> {
  const res = await call(emu, "POST", "/auth/token/full", { ...USERS[user], ...(org_id !== undefined && { org_id }) }, { namespace });
  if (res.status !== 200) throw new Error(`login of ${user}${namespace ? ` in ${namespace}` : ""} failed: ${res.status} ${res.text}`);
  return res.body.token;
}
