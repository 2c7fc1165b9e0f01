/** The requests the benchmark sends, and a tiny JSON client for the set-up calls. */
import type { BenchData } from "./generate-history.js";

export const API = "/api/rest/2.0";

export interface Scenario {
  name: string;
  kind: "baseline" | "read" | "write";
  path: string;
  /** Cycled per connection. */
  bodies: unknown[];
  /** Reset the emulator's event-loop metrics after the warm-up and read them after the row. */
  eld?: boolean;
}

export interface Reply {
  status: number;
  text: string;
  json: any;
}

export async function call(base: string, path: string, body?: unknown, token?: string, method = "POST"): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

function ok(r: Reply, what: string): Reply {
  if (r.status < 200 || r.status > 299) throw new Error(`${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r;
}

/** A 24 h bearer token for tsadmin in testOrg1 (the org of the generated history). */
export async function getToken(base: string): Promise<string> {
  const body = { username: "tsadmin", password: "admin", org_id: 2100019165, validity_time_in_sec: 86400 };
  return ok(await call(base, `${API}/auth/token/full`, body), "auth/token/full").json.token;
}

/** Non-loopback URL (the HTTP check is simulated) and an S3 destination (the storage check writes a file). */
export async function createWebhook(base: string, token: string): Promise<string> {
  const body = {
    name: "bench",
    url: "https://hooks.example.com/bench",
    events: ["LIVEBOARD_SCHEDULE"],
    storage_destination: {
      storage_type: "AWS_S3",
      storage_config: {
        aws_s3_config: { bucket_name: "bench-bucket", region: "us-east-1", role_arn: "arn:aws:iam::123456789012:role/bench" },
      },
    },
  };
  return ok(await call(base, `${API}/webhooks/create`, body, token), "webhooks/create").json.id;
}

/** What one response holds, for the table (and a check that the scenario queries something real). */
export function describeReply(r: Reply): string {
  const size = r.text.length < 1024 ? `${r.text.length} B` : `${(r.text.length / 1024).toFixed(1)} KB`;
  if (r.status === 204) return "204, empty";
  if (Array.isArray(r.json?.jobs)) return `${r.json.jobs.length} job${r.json.jobs.length === 1 ? "" : "s"}, ${size}`;
  if (typeof r.json?.result_code === "string") return `${r.json.result_code}, ${size}`;
  if (Array.isArray(r.json?.webhooks)) return `${r.json.webhooks.length} webhook${r.json.webhooks.length === 1 ? "" : "s"}, ${size}`;
  return size;
}

export const baseline: Scenario = { name: "baseline: bare Hono, fixed JSON", kind: "baseline", path: "/bench", bodies: [{ ping: 1 }] };

const history = `${API}/jobs/history/communication-channels/search`;
export const historyByJobId = (d: BenchData): Scenario => ({
  name: "history search by job id",
  kind: "read",
  path: history,
  bodies: [{ channel_type: "WEBHOOK", job_ids: [d.jobId] }],
});
export const HISTORY_BY_CHANNEL_EVENT = "history search by channel + event";
export const historyByChannelEvent = (d: BenchData): Scenario => ({
  name: HISTORY_BY_CHANNEL_EVENT,
  kind: "read",
  path: history,
  bodies: [
    { channel_type: "WEBHOOK", channel_identifiers: [d.channel], events: [{ type: "LIVEBOARD_SCHEDULE", identifier: d.scheduleId }] },
  ],
});

export const preferencesSearch: Scenario = {
  name: "preferences search",
  kind: "read",
  path: `${API}/system/preferences/communication-channels/search`,
  bodies: [{}],
};
export const webhooksSearch: Scenario = { name: "webhooks search", kind: "read", path: `${API}/webhooks/search`, bodies: [{}] };

const prefs = (channels: string[]) => ({
  org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels }] }],
});
/** Two alternating bodies, so every request really changes (and durably writes) the state. */
export const configure: Scenario = {
  name: "preferences configure (durable write)",
  kind: "write",
  eld: true,
  path: `${API}/system/preferences/communication-channels/configure`,
  bodies: [prefs(["WEBHOOK"]), prefs(["EMAIL", "WEBHOOK"])],
};
export const validate = (webhookId: string): Scenario => ({
  name: "validate (simulated HTTP, storage check)",
  kind: "write",
  eld: true,
  path: `${API}/system/communication-channels/validate`,
  bodies: [{ channel_type: "WEBHOOK", channel_identifier: webhookId, event_type: "LIVEBOARD_SCHEDULE" }],
});
