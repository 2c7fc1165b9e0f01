import { createEmulator, type Emulator, type EmulatorOptions } from "../src/index.js";

export const API = "/api/rest/2.0";

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

/** One HTTP call through the app (in-process, no socket). */
export async function call(emu: Emulator, method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (body !== undefined || opts.raw !== undefined) headers["content-type"] ??= "application/json";
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.namespace) headers["x-emulator-namespace"] = opts.namespace;
  const res = await emu.app.request(path.startsWith("/_") ? path : `${API}${path}`, {
    method,
    headers,
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const USERS = {
  admin: { username: "tsadmin", password: "admin" },
  developer: { username: "developer", password: "developer" },
  webhookManager: { username: "webhook-manager", password: "webhook-manager" },
  appAdmin: { username: "app-admin", password: "app-admin" },
  analyst: { username: "analyst", password: "analyst" },
} as const;

/** Logs a fixture user in (optionally into an org) and returns the bearer token. */
export async function login(emu: Emulator, user: keyof typeof USERS = "admin", org_id?: number, namespace?: string): Promise<string> {
  const res = await call(emu, "POST", "/auth/token/full", { ...USERS[user], ...(org_id !== undefined && { org_id }) }, { namespace });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.body.token;
}

/** The debug text of a ThoughtSpot error envelope (live shape). */
export function debugText(body: any): string {
  const inner = body?.error?.message?.debug;
  if (typeof inner === "string") return inner;
  return JSON.parse(inner.debug)[0];
}

/** The error code of a ThoughtSpot error envelope (either shape). */
export function errorCode(body: any): number {
  const m = body?.error?.message;
  return typeof m?.debug === "object" ? m.debug.code : m?.code;
}

export const WEBHOOK = {
  name: "Zapier",
  url: "https://hooks.zapier.com/hooks/catch/123/abc",
  events: ["LIVEBOARD_SCHEDULE"],
};

export const S3_DESTINATION = {
  storage_type: "AWS_S3",
  storage_config: {
    aws_s3_config: {
      bucket_name: "my-webhook-files",
      region: "us-east-1",
      role_arn: "arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole",
    },
  },
};
