/**
 * Fuzzing every endpoint of ENDPOINTS (and the admin routes) in-process with generated and
 * mutated bodies: wrong types for every field, huge strings, deep nesting, unicode and lone
 * surrogates, nulls, extra and duplicate keys, truncated JSON, wrong content types, no body.
 *
 * Invariants: no 5xx; every 4xx under /api/rest/2.0 is exactly 400/401/403 in the ThoughtSpot
 * envelope with the matching code (10002/10097/10023) — never 404/409/415/422; every 2xx is the
 * endpoint's documented success status; no request takes seconds; afterwards the server still
 * answers normally.
 *
 * Everything random comes from one seeded PRNG: the seed is printed, and `FUZZ_SEED=<n>` reruns a
 * failing seed. Each failure names the seed, the case and the exact request (body included).
 */
import { afterAll, describe, expect, it } from "vitest";
import { ENDPOINTS as TABLE } from "../src/api/index.js";
import type { Emulator } from "../src/index.js";
import { API, call, createWebhook, emulator, login, prng, type Rng, seedOf, tempDirs, type User, validateOk } from "./support/index.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20260330);

// ───────────────────────────── JSON values with raw parts ─────────────────────────────

/** JSON text inserted verbatim (special numbers, escaped lone surrogates, deep nesting). */
class Raw {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}
}
/** An object whose entries may repeat a key. */
class Dup {
  constructor(readonly entries: [string, J][]) {}
}
type J = null | boolean | number | string | J[] | { [k: string]: J } | Raw | Dup;

function ser(v: J): string {
  if (v instanceof Raw) return v.text;
  if (v instanceof Dup) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${ser(x)}`).join(",")}}`;
  if (Array.isArray(v)) return `[${v.map(ser).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${ser(x)}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

function label(v: J): string {
  if (v instanceof Raw) return v.label;
  const s = ser(v);
  return s.length > 40 ? `${s.slice(0, 24)}…(${s.length} chars)` : s;
}

const DEPTH = 10_000;
const HUGE = "x".repeat(100_000);
const HUGE_EMOJI = "😀".repeat(25_000); // 100 KB of UTF-8
const SPECIALS: J[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  1.5,
  -0.25,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
  new Raw("-0", "-0"),
  new Raw("1e400", "1e400 (Infinity)"),
  new Raw("-1e400", "-1e400 (-Infinity)"),
  new Raw("1E+2", "1E+2"),
  new Raw("123456789012345678901234567890", "30-digit integer"),
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e3",
  "NaN",
  "Infinity",
  "-Infinity",
  "null",
  "true",
  "[]",
  "{}",
  "😀",
  "\u0000",
  "\u202eevil\u0645",
  "🏳️‍🌈",
  "e\u0301",
  "\uFEFF",
  "\r\nX-Injected: 1",
  new Raw('"\\ud800"', "lone high surrogate"),
  new Raw('"a\\udfff\\ud800b"', "reversed surrogates"),
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "../../etc/passwd",
  "%s%n%x",
  "${jndi:ldap://x}",
  "__proto__",
  "constructor",
  "LIVEBOARD_SCHEDULE",
  "WEBHOOK",
  "liveboard_schedule",
  "EMAIL ",
  HUGE,
  HUGE_EMOJI,
  new Raw("[".repeat(DEPTH) + "]".repeat(DEPTH), `arrays nested ${DEPTH} deep`),
  new Raw(`${'{"a":'.repeat(DEPTH)}null${"}".repeat(DEPTH)}`, `objects nested ${DEPTH} deep`),
  new Raw(
    `${"[".repeat(DEPTH / 2) + '{"a":'.repeat(DEPTH / 2)}1${"}".repeat(DEPTH / 2)}${"]".repeat(DEPTH / 2)}`,
    `mixed nesting ${DEPTH} deep`,
  ),
  [],
  [null],
  [1, "a", null, {}],
  ["LIVEBOARD_SCHEDULE", "LIVEBOARD_SCHEDULE"],
  Array<J>(10_000).fill("x"),
  {},
  { a: null },
  { "": "" },
  new Raw('{"__proto__":{"polluted":true}}', "__proto__ object"),
  new Raw('{"constructor":{"prototype":{"polluted":true}}}', "constructor.prototype object"),
];

/** A random JSON value: mostly the specials above, sometimes a small random structure. */
function gen(r: Rng, depth = 0): J {
  const roll = r.next();
  if (roll < 0.7 || depth >= 3) return r.pick(SPECIALS);
  if (roll < 0.85) return Array.from({ length: r.int(0, 4) }, () => gen(r, depth + 1));
  const o: Record<string, J> = {};
  for (let i = r.int(0, 4); i > 0; i--)
    o[r.pick(["a", "", "😀", "__proto__", "x".repeat(r.int(1, 300)), "id", "name", "type"])] = gen(r, depth + 1);
  return o;
}

// ───────────────────────────── paths in a valid body ─────────────────────────────

type Path = (string | number)[];
type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

function paths(v: Plain, at: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...at, i], ...paths(x, [...at, i])));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push([...at, k], ...paths(x, [...at, k]));
  return out;
}
const clone = <T>(v: T): T => structuredClone(v);
function get(v: any, p: Path): any {
  return p.reduce((x, k) => x?.[k], v);
}
/** Sets or (value === undefined) deletes at a path; returns a new J tree. */
function setAt(root: Plain, p: Path, value: J | undefined): J {
  const copy = clone(root) as any;
  const parent = get(copy, p.slice(0, -1));
  const key = p[p.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else parent[key] = value;
  return copy;
}
const show = (p: Path) => p.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${k}`)).join("") || "(root)";

// ───────────────────────────── requests, checks, failures ─────────────────────────────

interface Case {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** undefined = no body */
  body?: string | Uint8Array;
  /** Token kind to authenticate with (default: the endpoint's). */
  auth?: "admin" | "analyst" | "none";
}

interface Outcome {
  status: number;
  text: string;
  headers: Headers;
  ms: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CODES: Record<number, number> = { 400: 10002, 401: 10097, 403: 10023 };

/** Why an error response is not a proper ThoughtSpot envelope, or null when it is. */
function envelopeProblem(status: number, text: string, headers: Headers): string | null {
  if (!(headers.get("content-type") ?? "").includes("application/json")) return `content-type ${headers.get("content-type")}`;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return "body is not JSON";
  }
  const inner = body?.error?.message?.debug;
  if (
    Object.keys(body ?? {}).join() !== "error" ||
    Object.keys(body.error).join() !== "message" ||
    Object.keys(body.error.message).join() !== "debug"
  ) {
    return "not {error:{message:{debug:…}}}";
  }
  if (typeof inner !== "object" || inner === null) return "error.message.debug is not an object";
  if (inner.code !== CODES[status]) return `code ${inner.code} for HTTP ${status} (expected ${CODES[status]})`;
  if (!UUID.test(inner.incident_id_guid) || !UUID.test(inner.trace_id_guid)) return "incident_id_guid/trace_id_guid are not uuids";
  try {
    const list = JSON.parse(inner.debug);
    if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === "string" && s.length > 0))
      return "inner debug is not a JSON array of texts";
  } catch {
    return "inner debug is not JSON";
  }
  return null;
}

function preview(body: string | Uint8Array | undefined): string {
  if (body === undefined) return "(no body)";
  if (body instanceof Uint8Array)
    return `(bytes ${Buffer.from(body.subarray(0, 80)).toString("hex")}${body.length > 80 ? `… ${body.length} bytes` : ""})`;
  if (body.length <= 400) return JSON.stringify(body);
  return `${JSON.stringify(body.slice(0, 240))} …(${body.length} chars)… ${JSON.stringify(body.slice(-80))}`;
}

class Failures {
  readonly list: string[] = [];
  private readonly groups = new Map<string, number>();
  constructor(readonly test: string) {}
  add(group: string, detail: string): void {
    const n = this.groups.get(group) ?? 0;
    this.groups.set(group, n + 1);
    if (n < 3) this.list.push(detail); // three examples per kind of failure are enough to reproduce it
  }
  report(): string {
    const kinds = [...this.groups].map(([g, n]) => `  ${n}× ${g}`).join("\n");
    return `[fuzz seed ${SEED}] ${this.test}: ${[...this.groups.values()].reduce((a, b) => a + b, 0)} failing requests\n${kinds}\n\nExamples:\n${this.list.join("\n\n")}`;
  }
  get empty(): boolean {
    return this.groups.size === 0;
  }
}

/** A fuzzing session against one emulator and namespace, with tokens refreshed as needed. */
class Session {
  tokens: Record<"admin" | "analyst", string> = { admin: "", analyst: "" };
  count = 0;
  constructor(
    readonly emu: Emulator,
    readonly ns: string,
  ) {}

  login(user: User = "admin", org_id?: number): Promise<string> {
    return login(this.emu, user, org_id, this.ns);
  }

  async init(): Promise<this> {
    this.tokens = { admin: await this.login("admin"), analyst: await this.login("analyst") };
    return this;
  }

  async send(c: Case, defaultAuth: "admin" | "none"): Promise<Outcome> {
    const auth = c.auth ?? defaultAuth;
    const headers: Record<string, string> = { "x-emulator-namespace": this.ns };
    if (c.body !== undefined) headers["content-type"] = "application/json";
    if (auth !== "none") headers.authorization = `Bearer ${this.tokens[auth]}`;
    Object.assign(headers, c.headers);
    for (const [k, v] of Object.entries(headers)) if (v === "") delete headers[k];
    const started = performance.now();
    const res = await this.emu.app.request(c.path, { method: c.method, headers, body: c.body as BodyInit | undefined });
    const text = await res.text();
    this.count++;
    return { status: res.status, text, headers: res.headers, ms: performance.now() - started };
  }

  /** Sends a case; if the session's own token was revoked meanwhile (401), logs in again and resends once. */
  async run(c: Case, defaultAuth: "admin" | "none"): Promise<Outcome[]> {
    const first = await this.send(c, defaultAuth);
    const auth = c.auth ?? defaultAuth;
    if (first.status !== 401 || auth === "none" || c.headers?.authorization !== undefined || c.headers?.cookie !== undefined)
      return [first];
    this.tokens[auth] = await this.login(auth === "admin" ? "admin" : "analyst");
    return [first, await this.send(c, defaultAuth)];
  }
}

/** Checks one outcome against the invariants; returns a failure kind or null. */
function violation(o: Outcome, c: Case, success: number[], apiRoutes: boolean): string | null {
  // "/api/rest/2.0/../x" is "/api/rest/x" once the URL is parsed: judge the path really requested.
  const api = apiRoutes && new URL(c.path, "http://localhost").pathname.startsWith(`${API}/`);
  if (o.ms > 2_000) return `took ${Math.round(o.ms)} ms`;
  if (o.status >= 500) return `HTTP ${o.status}`;
  if (o.status >= 200 && o.status < 300) {
    if (c.method === "OPTIONS") return null;
    if (!success.includes(o.status)) return `HTTP ${o.status} instead of ${success.join("/")}`;
    if (o.status === 204 && o.text !== "") return "204 with a body";
    if (o.status === 200) {
      try {
        JSON.parse(o.text);
      } catch {
        return "200 whose body is not JSON";
      }
    }
    return null;
  }
  if (api) {
    if (![400, 401, 403].includes(o.status)) return `HTTP ${o.status} (only 400/401/403 may answer under ${API})`;
    const p = envelopeProblem(o.status, o.text, o.headers);
    return p && `HTTP ${o.status} not in the ThoughtSpot envelope: ${p}`;
  }
  // Admin routes: 400 in the envelope, 404 only for unknown routes.
  if (o.status === 400) {
    const p = envelopeProblem(400, o.text, o.headers);
    return p && `admin 400 not in the ThoughtSpot envelope: ${p}`;
  }
  if (o.status === 404) return null;
  return `HTTP ${o.status}`;
}

async function runCases(
  s: Session,
  f: Failures,
  cases: Case[],
  opts: {
    success: number[];
    api: boolean;
    auth: "admin" | "none";
    groupBy?: "path" | "label";
    prefix?: string;
    after?: (o: Outcome, c: Case) => Promise<void>;
  },
) {
  let i = 0;
  for (const c of cases) {
    i++;
    for (const o of await s.run(c, opts.auth)) {
      const v = violation(o, c, opts.success, opts.api);
      if (v) {
        const hdrs = { ...c.headers, ...(c.auth && { auth: c.auth }) };
        const where = opts.groupBy === "label" ? c.label : `${c.method} ${c.path.length > 80 ? `${c.path.slice(0, 80)}…` : c.path}`;
        f.add(
          `${where}: ${v}`,
          `${opts.prefix ?? ""}case #${i} [${c.label}]\n  request: ${c.method} ${c.path.length > 200 ? `${c.path.slice(0, 200)}…` : c.path} headers=${JSON.stringify(hdrs)}\n  body: ${preview(c.body)}\n  → ${o.status} ${o.text.slice(0, 400)}`,
        );
      }
      await opts.after?.(o, c);
    }
  }
}

/** A token call and a webhooks search still succeed in the namespace (plus health). */
async function stillAnswers(s: Session, f: Failures): Promise<void> {
  let token = "";
  try {
    token = await s.login("admin");
  } catch (err) {
    f.add("afterwards: token/full failed", `afterwards: ${(err as Error).message.slice(0, 400)}`);
    return;
  }
  const res = await s.emu.app.request(`${API}/webhooks/search`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: "{}",
  });
  const text = await res.text();
  if (res.status !== 200)
    f.add(
      `afterwards: webhooks/search answered ${res.status}`,
      `afterwards: POST ${API}/webhooks/search {} → ${res.status} ${text.slice(0, 400)}`,
    );
  const health = await s.emu.app.request("/_emulator/health");
  if (health.status !== 200)
    f.add(
      `afterwards: health answered ${health.status}`,
      `afterwards: GET /_emulator/health → ${health.status} ${(await health.text()).slice(0, 400)}`,
    );
}

// ───────────────────────────── case generation ─────────────────────────────

const WRONG_CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "text/json",
  "application/jsonx",
  "application/json; charset=utf-16",
  "application/json;;;",
  "APPLICATION/JSON",
  "*/*",
  "application/vnd.api+json",
];
const BAD_TEXTS: [string, string][] = [
  ["empty", ""],
  ["whitespace", " \n\t "],
  ["null", "null"],
  ["array", "[]"],
  ["string", '"a"'],
  ["number", "42"],
  ["true", "true"],
  ["two documents", "{}{}"],
  ["single quotes", "{'a':1}"],
  ["bare keys", "{a:1}"],
  ["NaN literal", '{"a":NaN}'],
  ["comment", '{/*c*/"a":1}'],
  ["trailing comma", '{"a":1,}'],
  ["unterminated string", '{"a":"'],
  ["lone brace", "{"],
  ["lone bracket", "["],
  ["nul byte", "\u0000"],
  ["deep arrays (top level)", "[".repeat(DEPTH) + "]".repeat(DEPTH)],
  ["deep objects (top level)", `${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}`],
  ["unclosed deep arrays", "[".repeat(DEPTH * 5)],
  ["100 KB of spaces then {}", `${" ".repeat(100_000)}{}`],
  ["over the 1 MB limit", `{"a":"${"y".repeat(1_100_000)}"}`],
];
const BAD_BYTES: [string, Uint8Array][] = [
  ["invalid UTF-8", Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x7d])],
  ["UTF-16LE BOM body", Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])],
  ["binary", Uint8Array.from({ length: 512 }, (_, i) => (i * 37) & 0xff)],
];

/** What the endpoint table does not say about an endpoint: the fuzzer's sample body, path parameters, set-up. */
interface Extra {
  /** Names the test and derives its sub-seed and namespace. */
  name: string;
  /** A valid body for this namespace (POST only). */
  valid?: (s: Session) => Plain;
  /** Values of the path's parameters (`:webhook_identifier`...) in this namespace. */
  params?: (s: Session) => Record<string, string>;
  /** Prepares the namespace (as tsadmin). */
  setup?: (s: Session) => Promise<void>;
  /** Cases of this endpoint consume the session's token (revoke): log in freshly for each. */
  freshToken?: boolean;
}

/** One endpoint of the endpoint table with its extra data. */
interface Endpoint extends Extra {
  operationId: string;
  method: "GET" | "POST";
  /** As in the table, with `:name` parameters. */
  path: string;
  success: number;
  /** Public endpoints are called without a token. */
  auth: "admin" | "none";
}

const HOOK_NAME = "fuzz-hook";
const FULL_WEBHOOK: Plain = {
  name: "fuzz-created",
  description: "created by the fuzzer",
  url: "https://hooks.example.com/fuzz?x=1",
  url_params: { a: "1", b: 2 },
  events: ["LIVEBOARD_SCHEDULE"],
  authentication: { BEARER_TOKEN: "fuzz-bearer" },
  signature_verification: { type: "HMAC_SHA256", header: "X-Signature", algorithm: "SHA256", secret: "fuzz-secret" },
  storage_destination: {
    storage_type: "AWS_S3",
    storage_config: {
      aws_s3_config: {
        bucket_name: "b",
        region: "us-east-1",
        role_arn: "arn:aws:iam::123456789012:role/R",
        external_id: "ts-webhook-x",
        path_prefix: "p/",
      },
    },
  },
  additional_headers: [{ key: "X-A", value: "1" }],
  status: "ENABLED",
};

/** Creates the webhook HOOK_NAME in the session's namespace; returns its id. */
async function createHook(s: Session): Promise<string> {
  const hook = await createWebhook(s.emu, s.tokens.admin, { name: HOOK_NAME, url: "https://hooks.example.com/fuzz" }, { namespace: s.ns });
  return hook.id;
}

const SCHEDULE_NAME = "fuzz-schedule";
const FULL_SCHEDULE: { [k: string]: Plain } = {
  name: "fuzz-created-schedule",
  description: "made by the fuzzer",
  metadata_type: "LIVEBOARD",
  metadata_identifier: "Sales Overview",
  file_format: "PDF",
  liveboard_options: { visualization_identifiers: ["Revenue by Region"] },
  pdf_options: {
    complete_liveboard: false,
    include_cover_page: true,
    include_custom_logo: false,
    include_filter_page: true,
    include_page_number: true,
    page_footer_text: "fuzz",
    page_orientation: "LANDSCAPE",
    page_size: "A4",
    truncate_table: false,
  },
  time_zone: "Europe/Warsaw",
  frequency: { cron_expression: { second: "0", minute: "*/15", hour: "8-17", day_of_month: "?", month: "*", day_of_week: "MON-FRI" } },
  recipient_details: { emails: ["ops@example.com"], principals: [{ identifier: "tsadmin", type: "USER" }] },
  personalised_view_id: "Team view",
};

/** Creates the schedule SCHEDULE_NAME in the session's namespace. */
async function createFuzzSchedule(s: Session): Promise<void> {
  const res = await call(
    s.emu,
    "POST",
    "/schedules/create",
    { ...FULL_SCHEDULE, name: SCHEDULE_NAME },
    { token: s.tokens.admin, namespace: s.ns },
  );
  expect(res.status, res.text).toBe(200);
}

const hookIds = new Map<string, string>();
const jobIds = new Map<string, string>();

/** Per operationId: every endpoint of the endpoint table has one (checked below). */
const EXTRA: Record<string, Extra> = {
  configureCommunicationChannelPreferences: {
    name: "configure preferences",
    valid: (): Plain => ({
      cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL", "WEBHOOK"] }],
      org_preferences: [
        { org_identifier: "testOrg1", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
        { org_identifier: "testOrg", operation: "RESET", reset_events: ["LIVEBOARD_SCHEDULE"] },
      ],
    }),
  },
  searchCommunicationChannelPreferences: {
    name: "search preferences",
    valid: () => ({
      cluster_preferences: ["LIVEBOARD_SCHEDULE"],
      org_preferences: [{ org_identifier: "Primary", event_types: ["LIVEBOARD_SCHEDULE"] }],
    }),
  },
  validateCommunicationChannel: {
    name: "validate",
    setup: async (s) => void hookIds.set(s.ns, await createHook(s)),
    valid: () => ({ channel_type: "WEBHOOK", channel_identifier: HOOK_NAME, event_type: "LIVEBOARD_SCHEDULE" }),
  },
  searchChannelHistory: {
    name: "history search",
    setup: async (s) => {
      const id = await createHook(s);
      hookIds.set(s.ns, id);
      const v = await validateOk(s.emu, s.tokens.admin, id, { namespace: s.ns });
      jobIds.set(s.ns, v.job_id);
    },
    valid: (s) => ({
      channel_type: "WEBHOOK",
      job_ids: [jobIds.get(s.ns)!],
      channel_identifiers: [hookIds.get(s.ns)!],
      channel_status: "SUCCESS",
      events: [{ type: "LIVEBOARD_SCHEDULE", identifier: "Weekly Sales Review" }],
      start_epoch_time_in_millis: 0,
      end_epoch_time_in_millis: 4_102_444_800_000,
    }),
  },
  createWebhookConfiguration: { name: "webhooks create", valid: () => FULL_WEBHOOK },
  searchWebhookConfigurations: {
    name: "webhooks search",
    setup: async (s) => void hookIds.set(s.ns, await createHook(s)),
    valid: () => ({
      org_identifier: "Primary",
      webhook_identifier: HOOK_NAME,
      event_type: "LIVEBOARD_SCHEDULE",
      status: "ENABLED",
      record_offset: 0,
      record_size: 10,
      sort_options: { field_name: "NAME", order: "ASC" },
    }),
  },
  updateWebhookConfiguration: {
    name: "webhooks update",
    params: (s) => ({ webhook_identifier: hookIds.get(s.ns) ?? "x" }),
    setup: async (s) => void hookIds.set(s.ns, await createHook(s)),
    valid: () => {
      const { name: _n, ...rest } = FULL_WEBHOOK as Record<string, Plain>;
      return { ...rest, name: HOOK_NAME, reset_options: ["SIGNATURE_VERIFICATION"] };
    },
  },
  deleteWebhookConfigurations: {
    name: "webhooks delete",
    valid: () => ({ webhook_identifiers: ["no-such-hook", "00000000-0000-4000-8000-000000000000"] }),
  },
  getWebhookStorageConfig: { name: "webhooks storage-config" },
  getFullAccessToken: {
    name: "token full",
    valid: () => ({ username: "tsadmin", password: "admin", validity_time_in_sec: 600, org_id: 2100019165, access_level: "FULL" }),
  },
  validateToken: { name: "token validate", valid: (s) => ({ token: s.tokens.admin }) },
  revokeToken: { name: "token revoke", freshToken: true, valid: (s) => ({ token: s.tokens.analyst }) },
  login: {
    name: "session login",
    valid: () => ({ username: "developer", password: "developer", org_identifier: "testOrg1", remember_me: true }),
  },
  logout: { name: "session logout", valid: () => ({}) },
  getCurrentUserInfo: { name: "session user" },
  getCurrentUserToken: { name: "session token" },
  getSystemInformation: { name: "system" },
  searchOrgs: {
    name: "orgs search",
    valid: () => ({ org_identifier: "testOrg", description: "d", visibility: "SHOW", status: "ACTIVE", user_identifiers: ["tsadmin"] }),
  },
  createSchedule: { name: "schedules create", valid: () => FULL_SCHEDULE },
  searchSchedules: {
    name: "schedules search",
    setup: createFuzzSchedule,
    valid: () => ({
      metadata: [{ identifier: "Sales Overview", type: "LIVEBOARD" }],
      record_offset: 0,
      record_size: 10,
      sort_options: { field_name: "NAME", order: "ASC" },
      history_runs_options: { include_history_runs: true, record_size: 5, record_offset: 0 },
      schedule_identifiers: [SCHEDULE_NAME],
    }),
  },
  updateSchedule: {
    name: "schedules update",
    params: () => ({ schedule_identifier: SCHEDULE_NAME }),
    setup: createFuzzSchedule,
    valid: () => ({ ...(FULL_SCHEDULE as Record<string, Plain>), name: SCHEDULE_NAME, status: "PAUSE" }),
  },
  deleteSchedule: { name: "schedules delete", params: () => ({ schedule_identifier: "no-such-schedule" }), valid: () => ({}) },
};

/** The endpoints to fuzz: the endpoint table, with the extra data of each (those without fail the table tests). */
const ENDPOINTS: Endpoint[] = TABLE.filter((e) => e.operationId in EXTRA).map((e) => ({
  ...EXTRA[e.operationId],
  operationId: e.operationId,
  method: e.method,
  path: e.path,
  success: e.status,
  auth: e.access === "public" ? "none" : "admin",
}));

/** The endpoint's full path with its parameters filled in for the session. */
function pathOf(e: Endpoint, s: Session): string {
  const params = e.params?.(s) ?? {};
  return `${API}${e.path.replace(/:(\w+)/g, (m, name: string) => params[name] ?? m)}`;
}

/** Cases for a POST endpoint: systematic per-field mutations of its valid body plus generated bodies. */
function postCases(e: Endpoint, s: Session, r: Rng): Case[] {
  const path = pathOf(e, s);
  const valid = e.valid!(s);
  const text = ser(valid as J);
  const cases: Case[] = [];
  const add = (label: string, body: string | Uint8Array | undefined, headers?: Record<string, string>) =>
    cases.push({ label, method: "POST", path, body, headers });

  add("the valid body", text);
  const all = paths(valid);
  // Every field (leaf and container) gets a rotating share of the wrong values, plus random ones.
  let rot = r.int(0, SPECIALS.length - 1);
  for (const p of all) {
    for (let k = 0; k < 7; k++) {
      const v = SPECIALS[rot++ % SPECIALS.length];
      add(`${show(p)} = ${label(v)}`, ser(setAt(valid, p, v)));
    }
    const g = gen(r);
    add(`${show(p)} = random ${label(g)}`, ser(setAt(valid, p, g)));
    add(`${show(p)} = null`, ser(setAt(valid, p, null)));
    add(`drop ${show(p)}`, ser(setAt(valid, p, undefined)));
    const cur = get(valid, p);
    // Type swaps: the same value as a string / number / array / object.
    if (typeof cur === "number") add(`${show(p)} as string`, ser(setAt(valid, p, String(cur))));
    if (typeof cur === "string") add(`${show(p)} as number`, ser(setAt(valid, p, Number(cur.length))));
    if (typeof cur === "string") add(`${show(p)} wrapped in an array`, ser(setAt(valid, p, [cur])));
    if (Array.isArray(cur)) add(`${show(p)} = []`, ser(setAt(valid, p, [])));
    if (Array.isArray(cur) && cur.length) add(`${show(p)} unwrapped`, ser(setAt(valid, p, cur[0] as J)));
    if (cur !== null && typeof cur === "object" && !Array.isArray(cur)) {
      add(`${show(p)} extra field`, ser(setAt(valid, p, { ...cur, [`extra_${r.int(0, 99)}`]: gen(r) })));
      const keys = Object.keys(cur);
      if (keys.length) {
        const k = r.pick(keys);
        add(`${show(p)} duplicate key ${k}`, ser(setAt(valid, p, new Dup([...(Object.entries(cur) as [string, J][]), [k, gen(r)]]))));
      }
    }
  }
  // Top level: duplicate keys (both orders), extra fields.
  const top = valid as Record<string, Plain>;
  for (const k of Object.keys(top)) {
    const v = gen(r);
    add(`duplicate top-level ${k} (last wins: ${label(v)})`, ser(new Dup([...(Object.entries(top) as [string, J][]), [k, v]])));
    add(`duplicate top-level ${k} (first is ${label(v)})`, ser(new Dup([[k, v], ...(Object.entries(top) as [string, J][])])));
  }
  for (let i = 0; i < 10; i++)
    add(
      "extra top-level fields",
      ser({ ...top, [r.pick(["extra", "__proto__", "😀", "", "x".repeat(1000), `f${i}`])]: gen(r), [`more_${i}`]: gen(r) } as J),
    );
  // Truncations of the valid text at random positions.
  for (let i = 0; i < 25; i++) {
    const at = r.int(0, text.length - 1);
    add(`truncated at ${at}/${text.length}`, text.slice(0, at));
  }
  // Wrong content types, no body, weird texts and bytes.
  for (const ct of WRONG_CONTENT_TYPES) add(`content-type ${ct}`, text, { "content-type": ct });
  add("no content-type", text, { "content-type": "" });
  add("no body", undefined);
  add("no body, json content-type", undefined, { "content-type": "application/json" });
  for (const [l, t] of BAD_TEXTS) add(l, t);
  for (const [l, b] of BAD_BYTES) add(l, b);
  add("BOM + valid", `\uFEFF${text}`);
  add("valid + garbage", `${text}x`);
  add("valid twice", text + text);
  // Generated bodies: field names of this endpoint with random values; random top-level values.
  const names = all.filter((p) => p.length === 1).map((p) => String(p[0]));
  for (let i = 0; i < 60; i++) {
    const o: Record<string, J> = {};
    for (const n of names) if (r.chance(0.6)) o[n] = gen(r);
    if (r.chance(0.3)) o[`x${i}`] = gen(r);
    add("generated", ser(o));
  }
  for (let i = 0; i < 15; i++) {
    const v = gen(r);
    add(`top-level ${label(v)}`, ser(v));
  }
  return cases;
}

/** Cases for a GET endpoint: query strings, bodies sent with the wrong method. */
function getCases(e: Endpoint, s: Session, r: Rng): Case[] {
  const path = pathOf(e, s);
  const cases: Case[] = [{ label: "plain", method: "GET", path }];
  const queries = [
    "?",
    "?a=1",
    "?a=%ZZ",
    "?%F0%9F%98%80=%ED%A0%80",
    `?x=${"y".repeat(50_000)}`,
    "?a=1&a=2&a[]=3",
    "?__proto__[x]=1",
    "?record_size=-1",
    "#frag",
    "?org_id=x",
  ];
  for (const q of queries) cases.push({ label: `query ${q.slice(0, 30)}`, method: "GET", path: path + q });
  for (let i = 0; i < 20; i++) {
    const v = gen(r);
    cases.push({ label: `POST ${label(v)}`, method: "POST", path, body: ser(v) });
  }
  for (const m of ["PUT", "DELETE", "PATCH"]) cases.push({ label: `${m} with a body`, method: m, path, body: "{}" });
  return cases;
}

// ───────────────────────────── tests ─────────────────────────────

const dirs = tempDirs("emu-fuzz-");
afterAll(() => dirs.removeAll());

let total = 0;
const counts: string[] = [];

describe("the fuzzed endpoints are the endpoint table", () => {
  it("has an entry for every endpoint of ENDPOINTS", () => {
    expect(TABLE.map((e) => e.operationId).filter((id) => !(id in EXTRA))).toEqual([]);
  });

  it("names no operationId that is not in ENDPOINTS", () => {
    const mounted = new Set<string>(TABLE.map((e) => e.operationId));
    expect(Object.keys(EXTRA).filter((id) => !mounted.has(id))).toEqual([]);
  });

  it("has a valid body for every POST endpoint and a value for every path parameter", () => {
    const s = new Session(undefined as unknown as Emulator, "fuzz-table");
    expect(ENDPOINTS.filter((e) => e.method === "POST" && !e.valid).map((e) => e.operationId)).toEqual([]);
    expect(ENDPOINTS.filter((e) => pathOf(e, s).includes(":")).map((e) => `${e.operationId}: ${pathOf(e, s)}`)).toEqual([]);
  });
});

describe(`fuzzing every endpoint (seed ${SEED})`, () => {
  it.each(ENDPOINTS.map((e) => [e.name, e] as const))(
    "%s: no 5xx, every error in the envelope, still answers afterwards",
    async (_name, e) => {
      const emu = await emulator({ seed: SEED });
      const s = await new Session(emu, `fuzz-${seedOf(e.name)}`).init();
      await e.setup?.(s);
      const r = prng(SEED ^ seedOf(e.name));
      const cases = e.method === "GET" ? getCases(e, s, r) : postCases(e, s, r);
      const f = new Failures(`${e.method} ${e.path}`);
      await runCases(s, f, cases, {
        success: [e.success],
        api: true,
        auth: e.auth,
        after: async (o) => {
          if (e.freshToken) s.tokens = { admin: await s.login("admin"), analyst: await s.login("analyst") };
          // Keep state comparable between cases: a created webhook or schedule is deleted again.
          if (e.operationId === "createSchedule" && o.status === 200) {
            const id = JSON.parse(o.text).id;
            await s.send({ label: "cleanup", method: "POST", path: `${API}/schedules/${id}/delete` }, "admin");
          }
          if (e.operationId === "createWebhookConfiguration" && o.status === 200) {
            const id = JSON.parse(o.text).id;
            await s.send(
              { label: "cleanup", method: "POST", path: `${API}/webhooks/delete`, body: JSON.stringify({ webhook_identifiers: [id] }) },
              "admin",
            );
          }
        },
      });
      await stillAnswers(s, f);
      total += s.count;
      counts.push(`${e.name} ${s.count}`);
      expect(f.empty, f.report()).toBe(true);
    },
  );

  it("request headers and methods on every endpoint: auth, privileges, cookies, namespaces, scenarios", async () => {
    const emu = await emulator({ seed: SEED });
    const s = await new Session(emu, "fuzz-headers").init();
    hookIds.set(s.ns, await createHook(s));
    const r = prng(SEED ^ seedOf("headers"));
    const f = new Failures("headers and methods");
    const BEARERS = [
      "",
      "Bearer",
      "Bearer ",
      "Bearer x",
      `bearer ${"A".repeat(10_000)}`,
      "Basic dXNlcjpwYXNz",
      "Bearer \u00ff\u00fe",
      "Bearer a b c",
      "Token abc",
      "Bearer null",
    ];
    const COOKIES = [
      "JSESSIONID=",
      "JSESSIONID=x",
      "JSESSIONID=%ZZ",
      "JSESSIONID=\u00e9; JSESSIONID=y",
      "a=b",
      ";;;",
      `JSESSIONID=${"z".repeat(5000)}`,
    ];
    const NAMESPACES = [
      "",
      " ",
      "a/b",
      "x".repeat(65),
      "..",
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
      "valueOf",
      "default",
      "ns.with-dots_1",
    ];
    const SCENARIOS = ["nope", ",", " , ", "token-expired,nope", "x".repeat(1000), "webhook-returns-500,"];
    for (const e of ENDPOINTS) {
      const cases: Case[] = [];
      const path = pathOf(e, s);
      const body = e.method === "POST" ? ser(e.valid!(s) as J) : undefined;
      const base = { method: e.method, path, body };
      cases.push({ ...base, label: "no credentials", auth: "none" });
      cases.push({ ...base, label: "analyst (no privileges)", auth: "analyst" });
      for (const b of BEARERS)
        cases.push({ ...base, label: `authorization ${b.slice(0, 20)}`, auth: "none", headers: { authorization: b } });
      for (const ck of COOKIES) cases.push({ ...base, label: `cookie ${ck.slice(0, 20)}`, auth: "none", headers: { cookie: ck } });
      for (const n of NAMESPACES)
        cases.push({ ...base, label: `namespace ${JSON.stringify(n.slice(0, 20))}`, headers: { "x-emulator-namespace": n || " " } });
      for (const n of SCENARIOS) cases.push({ ...base, label: `scenario header ${n.slice(0, 20)}`, headers: { "x-emulator-scenario": n } });
      for (const m of ["PUT", "DELETE", "PATCH", "OPTIONS", e.method === "GET" ? "POST" : "GET"]) {
        cases.push({ label: `method ${m}`, method: m, path, body: m === "GET" || m === "OPTIONS" ? undefined : "{}" });
      }
      cases.push({ ...base, label: "Origin evil.example", headers: { origin: "https://evil.example" } });
      cases.push({ ...base, label: "Origin localhost", headers: { origin: "http://localhost:3000" } });
      cases.push({ ...base, label: "accept xml", headers: { accept: "application/xml" } });
      cases.push({ ...base, label: "content-length lies", headers: { "content-length": "5" } });
      await runCases(s, f, cases, {
        success: [e.success],
        api: true,
        auth: e.auth,
        groupBy: "label",
        prefix: `${e.method} ${e.path}: `,
        after: async () => {
          if (e.freshToken) s.tokens = { admin: await s.login("admin"), analyst: await s.login("analyst") };
        },
      });
      s.tokens = { admin: await s.login("admin"), analyst: await s.login("analyst") };
    }
    // Paths: unknown paths and odd webhook identifiers are 400s, never 404.
    const ids = [
      "%2F",
      "..",
      "%2e%2e",
      "%ZZ",
      "%00",
      "%F0%9F%98%80",
      "%ED%A0%80",
      "x".repeat(20_000),
      "__proto__",
      "constructor",
      " ",
      "a%20b",
      HOOK_NAME,
      "%252F",
    ];
    const pathCases: Case[] = ids.map((id) => ({
      label: `update id ${id.slice(0, 20)}`,
      method: "POST",
      path: `${API}/webhooks/${id}/update`,
      body: '{"description":"d"}',
    }));
    for (const p of [
      "",
      "/",
      "/nope",
      "/webhooks",
      "/webhooks/",
      "/webhooks/x",
      "/webhooks/x/update/extra",
      "/auth/token",
      "/AUTH/TOKEN/FULL",
      "//auth//token//full",
      "/auth/token/full/",
      "/../_emulator/health",
      `/${"a/".repeat(500)}`,
      "/webhooks/search?x=1",
    ]) {
      pathCases.push({ label: `path ${p.slice(0, 30)}`, method: "POST", path: `${API}${p}`, body: "{}" });
    }
    for (let i = 0; i < 20; i++) {
      const seg = Array.from({ length: r.int(1, 4) }, () =>
        r.pick(["webhooks", "auth", "x", "%25", "😀", "search", "update", "..", "."]),
      ).join("/");
      pathCases.push({ label: `random path ${seg}`, method: r.pick(["GET", "POST"]), path: `${API}/${encodeURI(seg)}`, body: undefined });
    }
    await runCases(s, f, pathCases, { success: [200, 204], api: true, auth: "admin", prefix: "paths: " });
    await stillAnswers(s, f);
    total += s.count;
    counts.push(`headers/methods/paths ${s.count}`);
    expect(f.empty, f.report()).toBe(true);
  });

  it("admin routes: no 5xx, 400s in the envelope, still answers afterwards", async () => {
    // Its own emulator: the admin routes move the shared clock and switch scenarios.
    const emu = await emulator({ seed: SEED });
    const s = await new Session(emu, "fuzz-admin").init();
    hookIds.set(s.ns, await createHook(s));
    const r = prng(SEED ^ seedOf("admin"));
    const f = new Failures("admin routes");
    const routes: { method: string; path: string; valid?: Plain }[] = [
      { method: "GET", path: "/_emulator/health" },
      { method: "GET", path: "/_emulator/metrics" },
      { method: "POST", path: "/_emulator/metrics/reset", valid: {} },
      { method: "GET", path: "/_emulator/state" },
      { method: "GET", path: "/_emulator/clock" },
      { method: "GET", path: "/_emulator/scenarios" },
      { method: "POST", path: "/_emulator/scenarios/webhook-returns-500/activate", valid: {} },
      { method: "POST", path: "/_emulator/scenarios/webhook-returns-500/deactivate", valid: {} },
      {
        method: "PUT",
        path: "/_emulator/scenarios/active",
        valid: { name: "fuzz", description: "d", rules: [{ match: { operation: "searchOrgs" }, outcome: { delay_ms: 0 } }] },
      },
      {
        method: "POST",
        path: "/_emulator/jobs/synthesize",
        valid: { channel_identifier: HOOK_NAME, org_identifier: "Primary", days: 1, runs_per_day: 2, failure_rate: 0.1, retry_rate: 0.1 },
      },
      { method: "POST", path: "/_emulator/reset", valid: { namespace: "fuzz-admin-other" } },
      { method: "POST", path: "/_emulator/clock", valid: { now: "2026-03-30T13:10:30Z", advance_ms: 1, freeze: false } },
    ];
    let requests = 0;
    for (const route of routes) {
      const cases: Case[] = [];
      if (route.valid === undefined) {
        cases.push({ label: "plain", method: route.method, path: route.path });
        for (const q of ["?x=1", "?%ZZ", `?${"q".repeat(10_000)}`])
          cases.push({ label: `query ${q.slice(0, 10)}`, method: route.method, path: route.path + q });
        for (let i = 0; i < 8; i++) {
          const v = gen(r);
          cases.push({ label: `POST ${label(v)}`, method: "POST", path: route.path, body: ser(v) });
        }
      } else {
        const text = ser(route.valid as J);
        cases.push({ label: "valid", method: route.method, path: route.path, body: text });
        // Few fields (clock, reset): every field gets every special value; else a rotating share. Plus random ones.
        const ps = paths(route.valid);
        const per = ps.length <= 3 ? SPECIALS.length : 15;
        let rot = r.int(0, SPECIALS.length - 1);
        for (const p of ps) {
          for (let k = 0; k < per + 3; k++) {
            const v = k < per ? SPECIALS[rot++ % SPECIALS.length] : gen(r);
            cases.push({ label: `${show(p)} = ${label(v)}`, method: route.method, path: route.path, body: ser(setAt(route.valid, p, v)) });
          }
          cases.push({ label: `drop ${show(p)}`, method: route.method, path: route.path, body: ser(setAt(route.valid, p, undefined)) });
        }
        for (let i = 0; i < 10; i++)
          cases.push({ label: "truncated", method: route.method, path: route.path, body: text.slice(0, r.int(0, text.length - 1)) });
        for (const [l, t] of BAD_TEXTS) cases.push({ label: l, method: route.method, path: route.path, body: t });
        for (let i = 0; i < 10; i++) {
          const v = gen(r);
          cases.push({ label: `top-level ${label(v)}`, method: route.method, path: route.path, body: ser(v) });
        }
        if (route.path.includes("webhook-returns-500")) {
          for (const n of ["nope", "%ZZ", "%F0%9F%98%80", "__proto__", "constructor", "x".repeat(5000), "..", "%2F"]) {
            cases.push({
              label: `scenario name ${n.slice(0, 20)}`,
              method: "POST",
              path: route.path.replace("webhook-returns-500", n),
              body: "{}",
            });
          }
        }
      }
      await runCases(s, f, cases, {
        success: [200],
        api: false,
        auth: "none",
        after: async () => {
          // A moved or frozen clock would expire the session's tokens: put it back after each case.
          emu.clock.freeze(false);
          emu.clock.set(Date.now());
        },
      });
      requests += cases.length;
    }
    await emu.reset();
    s.tokens = { admin: await s.login("admin"), analyst: await s.login("analyst") };
    await stillAnswers(s, f);
    total += s.count;
    counts.push(`admin ${requests}`);
    expect(f.empty, f.report()).toBe(true);
  });

  it("a deeply nested value in a stored field neither breaks later responses nor persistence (data dir)", async () => {
    const dir = dirs.make();
    const emu = await emulator({ seed: SEED, dataDir: dir });
    try {
      const s = await new Session(emu, "fuzz-deep").init();
      const f = new Failures("deep nesting with a data dir");
      const deep = "[".repeat(DEPTH) + "]".repeat(DEPTH);
      const cases: Case[] = [
        {
          label: `url_params.a = arrays nested ${DEPTH} deep`,
          method: "POST",
          path: `${API}/webhooks/create`,
          body: `{"name":"deep","url":"https://hooks.example.com/d","events":["LIVEBOARD_SCHEDULE"],"url_params":{"a":${deep}}}`,
        },
        { label: "webhooks search afterwards", method: "POST", path: `${API}/webhooks/search`, body: "{}" },
        {
          label: "configure afterwards (a durable write)",
          method: "POST",
          path: `${API}/system/preferences/communication-channels/configure`,
          body: JSON.stringify({ cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }] }),
        },
      ];
      await runCases(s, f, cases, { success: [200, 204], api: true, auth: "admin" });
      await stillAnswers(s, f);
      expect(f.empty, f.report()).toBe(true);
    } finally {
      await emu.close();
    }
  });

  afterAll(() => {
    console.log(`[fuzz] seed ${SEED}: ${total} requests in all (${counts.join(", ")})`);
  });
});
