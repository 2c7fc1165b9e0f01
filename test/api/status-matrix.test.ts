import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../src/api/index.js";
import type { Emulator } from "../../src/index.js";
import { MESSAGES } from "../../src/schemas/messages.js";
import type { OperationId } from "../../src/schemas/operations.js";
import {
  type CallOptions,
  call,
  createWebhook,
  debugText,
  emulator,
  errorCode,
  frozenClock,
  login,
  USERS,
  type User,
  WEBHOOK,
} from "../support/index.js";

type Access = "public" | "any" | "preferences" | "channels" | "orgs" | "system";

/** What the endpoint table does not say about an endpoint: its privilege class, sample bodies, path parameters. */
interface Extra {
  name: string;
  /** The privilege class of docs/decisions.md, "Privileges" (checked against the endpoint's `access` below). */
  access: Access;
  /** Values of the path's parameters (`:webhook_identifier`...). */
  params?: Record<string, string>;
  /** A valid minimal body (given the caller's token and who the caller is); undefined = no body. */
  body?: (token: string, user: User) => unknown;
  /** An invalid body (raw text or a value); undefined = the endpoint takes no body. */
  invalid?: { raw: string } | { value: unknown };
  /** Prepares state as tsadmin (e.g. the webhook an endpoint addresses). */
  setup?: (emu: Emulator, adminToken: string) => Promise<void>;
}

/** One endpoint of ENDPOINTS with its extra data. */
interface Row extends Extra {
  operationId: string;
  method: "GET" | "POST";
  /** The path with its parameters filled in. */
  path: string;
  success: number;
}

const createZapier = async (emu: Emulator, token: string) => void (await createWebhook(emu, token));

/** A schedule of the fixture Liveboard "Sales Overview", which every fixture user may edit. */
const SCHEDULE = {
  name: "matrix-schedule",
  description: "made by the status matrix",
  metadata_type: "LIVEBOARD",
  metadata_identifier: "Sales Overview",
  time_zone: "Etc/UTC",
};
/** Scheduling for oneself needs no privilege (others as recipients would). */
const toSelf = (user: User) => ({ principals: [{ identifier: USERS[user].username, type: "USER" }] });
const createSchedule = async (emu: Emulator, token: string) => {
  const res = await call(emu, "POST", "/schedules/create", { ...SCHEDULE, recipient_details: toSelf("admin") }, { token });
  expect(res.status, res.text).toBe(200);
};

/** Per operationId: every endpoint of ENDPOINTS has one, with its privilege class (docs/decisions.md, "Privileges"). */
const EXTRA: Record<string, Extra> = {
  configureCommunicationChannelPreferences: {
    name: "configure preferences",
    access: "preferences",
    body: () => ({
      org_preferences: [
        { org_identifier: "Primary", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
      ],
    }),
    invalid: {
      value: {
        org_preferences: [{ org_identifier: "Primary", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["PIGEON"] }] }],
      },
    },
  },
  searchCommunicationChannelPreferences: {
    name: "search preferences",
    access: "preferences",
    body: () => ({}),
    invalid: { value: { cluster_preferences: ["NOT_AN_EVENT"] } },
  },
  validateCommunicationChannel: {
    name: "validate a channel",
    access: "channels",
    body: () => ({ channel_type: "WEBHOOK", channel_identifier: "Zapier", event_type: "LIVEBOARD_SCHEDULE" }),
    invalid: { value: { channel_type: "WEBHOOK", event_type: "LIVEBOARD_SCHEDULE" } },
    setup: createZapier,
  },
  searchChannelHistory: {
    name: "search delivery history",
    access: "channels",
    body: () => ({ channel_type: "WEBHOOK", job_ids: ["n.00000000-0000-4000-8000-000000000000"] }),
    invalid: { value: { job_ids: "n.x" } },
  },
  createWebhookConfiguration: {
    name: "create a webhook",
    access: "channels",
    body: () => WEBHOOK,
    invalid: { value: { ...WEBHOOK, url: 42 } },
  },
  searchWebhookConfigurations: {
    name: "search webhooks",
    access: "channels",
    body: () => ({}),
    invalid: { value: { record_size: "ten" } },
  },
  updateWebhookConfiguration: {
    name: "update a webhook",
    access: "channels",
    params: { webhook_identifier: "Zapier" },
    body: () => ({ description: "updated" }),
    invalid: { value: { status: "SOMETIMES" } },
    setup: createZapier,
  },
  deleteWebhookConfigurations: {
    name: "delete webhooks",
    access: "channels",
    body: () => ({ webhook_identifiers: ["Zapier"] }),
    invalid: { value: { webhook_identifiers: "Zapier" } },
    setup: createZapier,
  },
  getWebhookStorageConfig: { name: "get the storage config", access: "channels" },
  getFullAccessToken: {
    name: "get a full access token",
    access: "public",
    body: () => USERS.analyst,
    invalid: { value: { username: 7, password: "analyst" } },
  },
  validateToken: {
    name: "validate a token",
    access: "any",
    body: (token) => ({ token }),
    invalid: { value: { token: 12345 } },
  },
  revokeToken: {
    name: "revoke the own token",
    access: "any",
    body: () => ({}),
    invalid: { value: { token: ["a"] } },
  },
  login: {
    name: "log in",
    access: "public",
    body: () => USERS.analyst,
    invalid: { raw: '{"username": "analyst", ' },
  },
  logout: { name: "log out", access: "any", invalid: { raw: "{not json" } },
  getCurrentUserInfo: { name: "get the current user", access: "any" },
  getCurrentUserToken: { name: "get a token for the session", access: "any" },
  getSystemInformation: { name: "get the system information", access: "system" },
  searchOrgs: {
    name: "search orgs",
    access: "orgs",
    body: () => ({}),
    invalid: { value: { visibility: "SOMETIMES" } },
  },
  createSchedule: {
    name: "create a schedule",
    access: "any",
    body: (_t, user) => ({ ...SCHEDULE, recipient_details: toSelf(user) }),
    invalid: { value: { ...SCHEDULE, time_zone: "Mars/Olympus_Mons", recipient_details: toSelf("admin") } },
  },
  searchSchedules: {
    name: "search schedules",
    access: "any",
    body: () => ({}),
    invalid: { value: { record_size: "ten" } },
    setup: createSchedule,
  },
  updateSchedule: {
    name: "update a schedule",
    access: "any",
    params: { schedule_identifier: "matrix-schedule" },
    body: (_t, user) => ({ description: "updated", recipient_details: toSelf(user) }),
    invalid: { value: { status: "SOMETIMES" } },
    setup: createSchedule,
  },
  deleteSchedule: {
    name: "delete a schedule",
    access: "any",
    params: { schedule_identifier: "matrix-schedule" },
    setup: createSchedule,
  },
};

/** The `access` each class stands for in the endpoint table (docs/decisions.md, "Privileges"). */
const CLASS_ACCESS: Record<Access, "public" | "authenticated" | readonly string[]> = {
  public: "public",
  any: "authenticated",
  preferences: ["ADMINISTRATION", "DEVELOPER", "APPLICATION_ADMINISTRATION"],
  channels: ["ADMINISTRATION", "DEVELOPER", "CAN_MANAGE_WEBHOOKS"],
  orgs: ["ADMINISTRATION", "ORG_ADMINISTRATION"],
  system: ["ADMINISTRATION", "SYSTEM_INFO_ADMINISTRATION"],
};

/** Fills in `:name` path parameters. */
function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (m, name: string) => params[name] ?? m);
}

/** Every endpoint of ENDPOINTS that has its extra data (the table tests below fail for those without). */
const ROWS: Row[] = ENDPOINTS.filter((e) => e.operationId in EXTRA).map((e) => {
  const extra = EXTRA[e.operationId];
  return { ...extra, operationId: e.operationId, method: e.method, path: fillPath(e.path, extra.params), success: e.status };
});

describe("the endpoint list is the endpoint table", () => {
  it("has an entry for every endpoint of ENDPOINTS", () => {
    expect(ENDPOINTS.map((e) => e.operationId).filter((id) => !(id in EXTRA))).toEqual([]);
  });

  it("names no operationId that is not in ENDPOINTS", () => {
    const mounted = new Set<string>(ENDPOINTS.map((e) => e.operationId));
    expect(Object.keys(EXTRA).filter((id) => !mounted.has(id))).toEqual([]);
  });

  it("fills in every path parameter", () => {
    expect(ROWS.filter((r) => r.path.includes(":")).map((r) => `${r.operationId}: ${r.path}`)).toEqual([]);
  });

  it.each(ENDPOINTS.filter((e) => e.operationId in EXTRA).map((e) => [e.operationId, e] as const))(
    "%s has the access of its contract class",
    (id, e) => {
      const expected = CLASS_ACCESS[EXTRA[id].access];
      expect(typeof expected === "string" ? e.access : [...e.access].sort()).toEqual(
        typeof expected === "string" ? expected : [...expected].sort(),
      );
    },
  );
});

/** docs/decisions.md, "Privileges": which fixture users may call which class of endpoint. */
const ALLOWED: Record<Access, User[]> = {
  public: ["admin", "developer", "webhookManager", "appAdmin", "analyst"],
  any: ["admin", "developer", "webhookManager", "appAdmin", "analyst"],
  preferences: ["admin", "developer", "appAdmin"], // ADMINISTRATION, DEVELOPER, APPLICATION_ADMINISTRATION
  channels: ["admin", "developer", "webhookManager"], // ADMINISTRATION, DEVELOPER, CAN_MANAGE_WEBHOOKS
  orgs: ["admin"], // ADMINISTRATION, ORG_ADMINISTRATION
  system: ["admin"], // ADMINISTRATION, SYSTEM_INFO_ADMINISTRATION
};
const USER_NAMES = Object.keys(USERS) as User[];

const label = (r: Row) => `${r.method} ${r.path} (${r.name})`;

async function prepared(row: Row, options: Parameters<typeof emulator>[0] = {}) {
  const emu = await emulator(options);
  if (row.setup) await row.setup(emu, await login(emu, "admin"));
  return emu;
}

function send(emu: Emulator, row: Row, token: string | undefined, opts: CallOptions = {}, user: User = "admin") {
  const body = row.body ? row.body(token ?? "", user) : undefined;
  return call(emu, row.method, row.path, body, { ...opts, ...(token !== undefined && { token }) });
}

/** 401 code 10097 with the endpoint's text from the message catalog (the spec's example). */
function expect401(res: { status: number; body: any; text: string }, operationId: string) {
  expect(res.status, res.text).toBe(401);
  expect(errorCode(res.body)).toBe(10097);
  expect(debugText(res.body)).toBe(MESSAGES[operationId as OperationId][401]);
}

const protectedRows = ROWS.filter((r) => r.access !== "public");
const publicRows = ROWS.filter((r) => r.access === "public");

describe("without credentials", () => {
  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 code 10097 with the endpoint's text", async (_l, row) => {
    const emu = await prepared(row);
    expect401(await send(emu, row, undefined), row.operationId);
  });

  it.each(publicRows.map((r) => [label(r), r] as const))("%s needs no token", async (_l, row) => {
    const emu = await prepared(row);
    const res = await send(emu, row, undefined);
    expect(res.status, res.text).toBe(row.success);
  });

  it("answers 401 before looking at an invalid body", async () => {
    const emu = await emulator();
    expect401(await call(emu, "POST", "/webhooks/create", { name: 1 }), "createWebhookConfiguration");
  });
});

describe("with a bad credential", () => {
  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 for a garbage token", async (_l, row) => {
    const emu = await prepared(row);
    expect401(await send(emu, row, "Z2FyYmFnZS10b2tlbg=="), row.operationId);
  });

  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 for an expired token", async (_l, row) => {
    const clock = frozenClock(Date.UTC(2026, 1, 26));
    const emu = await prepared(row, { clock });
    const token = await login(emu, "admin");
    clock.advance(300_001);
    expect401(await send(emu, row, token), row.operationId);
  });

  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 for a revoked token", async (_l, row) => {
    const emu = await prepared(row);
    const token = await login(emu, "admin");
    const revoked = await call(emu, "POST", "/auth/token/revoke", {}, { token });
    expect(revoked.status).toBe(204);
    expect401(await send(emu, row, token), row.operationId);
  });

  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 for an unknown session cookie", async (_l, row) => {
    const emu = await prepared(row);
    expect401(await send(emu, row, undefined, { headers: { cookie: "JSESSIONID=6f1c1c9e-7d3e-4c1a-9d59-1d2b3c4d5e6f" } }), row.operationId);
  });
});

describe("privileges", () => {
  const cases = protectedRows.flatMap((row) =>
    USER_NAMES.map((user) => [label(row), user, ALLOWED[row.access].includes(user) ? "allowed" : "forbidden", row] as const),
  );

  it.each(cases)("%s as %s is %s", async (_l, user, verdict, row) => {
    const emu = await prepared(row);
    const token = await login(emu, user);
    const res = await send(emu, row, token, {}, user);
    if (verdict === "allowed") {
      expect([401, 403], `${res.status} ${res.text}`).not.toContain(res.status);
      expect(res.status, res.text).toBe(row.success);
    } else {
      expect(res.status, res.text).toBe(403);
      expect(errorCode(res.body)).toBe(10023);
      expect(debugText(res.body)).toBe(MESSAGES[row.operationId as OperationId][403]);
    }
  });

  it.each(protectedRows.map((r) => [label(r), r] as const))("%s accepts the session cookie of an administrator", async (_l, row) => {
    const emu = await prepared(row);
    const loginRes = await call(emu, "POST", "/auth/session/login", USERS.admin);
    const cookie = (loginRes.headers.get("set-cookie") ?? "").split(";")[0];
    expect(cookie).toMatch(/^JSESSIONID=/);
    // token/validate checks a bearer token given in the body; the session only authenticates the call.
    const body = row.body ? row.body(await login(emu, "admin"), "admin") : undefined;
    const res = await call(emu, row.method, row.path, body, { headers: { cookie } });
    expect([401, 403], `${res.status} ${res.text}`).not.toContain(res.status);
    expect(res.status, res.text).toBe(row.success);
  });
});

describe("invalid bodies", () => {
  const rows = ROWS.filter((r) => r.invalid !== undefined);
  it.each(rows.map((r) => [label(r), r] as const))("%s answers 400 code 10002", async (_l, row) => {
    const emu = await prepared(row);
    const token = row.access === "public" ? undefined : await login(emu, "admin");
    const inv = row.invalid!;
    const res =
      "raw" in inv
        ? await call(emu, row.method, row.path, undefined, { token, raw: inv.raw })
        : await call(emu, row.method, row.path, inv.value, { token });
    expect(res.status, res.text).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(typeof debugText(res.body)).toBe("string");
    expect(debugText(res.body).length).toBeGreaterThan(0);
  });
});
