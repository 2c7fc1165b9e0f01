import { describe, expect, it } from "vitest";
import { createClock } from "../../src/clock.js";
import type { Emulator } from "../../src/index.js";
import { type CallOptions, call, debugText, emulator, errorCode, login, USERS, WEBHOOK } from "../helpers.js";

type User = keyof typeof USERS;
type Access = "public" | "any" | "preferences" | "channels";

interface Row {
  name: string;
  method: "GET" | "POST";
  path: string;
  access: Access;
  success: number;
  /** A valid minimal body (given the caller's token); undefined = no body. */
  body?: (token: string) => unknown;
  /** An invalid body (raw text or a value); undefined = the endpoint takes no body. */
  invalid?: { raw: string } | { value: unknown };
  /** Prepares state as tsadmin (e.g. the webhook an endpoint addresses). */
  setup?: (emu: Emulator, adminToken: string) => Promise<void>;
}

const createZapier = async (emu: Emulator, token: string) => {
  const res = await call(emu, "POST", "/webhooks/create", WEBHOOK, { token });
  if (res.status !== 200) throw new Error(`setup failed: ${res.status} ${res.text}`);
};

/** Every endpoint of contract §1, with its privilege class (§1.7). */
const ROWS: Row[] = [
  {
    name: "configure preferences",
    method: "POST",
    path: "/system/preferences/communication-channels/configure",
    access: "preferences",
    success: 204,
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
  {
    name: "search preferences",
    method: "POST",
    path: "/system/preferences/communication-channels/search",
    access: "preferences",
    success: 200,
    body: () => ({}),
    invalid: { value: { cluster_preferences: ["NOT_AN_EVENT"] } },
  },
  {
    name: "validate a channel",
    method: "POST",
    path: "/system/communication-channels/validate",
    access: "channels",
    success: 200,
    body: () => ({ channel_type: "WEBHOOK", channel_identifier: "Zapier", event_type: "LIVEBOARD_SCHEDULE" }),
    invalid: { value: { channel_type: "WEBHOOK", event_type: "LIVEBOARD_SCHEDULE" } },
    setup: createZapier,
  },
  {
    name: "search delivery history",
    method: "POST",
    path: "/jobs/history/communication-channels/search",
    access: "channels",
    success: 200,
    body: () => ({ channel_type: "WEBHOOK", job_ids: ["n.00000000-0000-4000-8000-000000000000"] }),
    invalid: { value: { job_ids: "n.x" } },
  },
  {
    name: "create a webhook",
    method: "POST",
    path: "/webhooks/create",
    access: "channels",
    success: 200,
    body: () => WEBHOOK,
    invalid: { value: { ...WEBHOOK, url: 42 } },
  },
  {
    name: "search webhooks",
    method: "POST",
    path: "/webhooks/search",
    access: "channels",
    success: 200,
    body: () => ({}),
    invalid: { value: { record_size: "ten" } },
  },
  {
    name: "update a webhook",
    method: "POST",
    path: "/webhooks/Zapier/update",
    access: "channels",
    success: 204,
    body: () => ({ description: "updated" }),
    invalid: { value: { status: "SOMETIMES" } },
    setup: createZapier,
  },
  {
    name: "delete webhooks",
    method: "POST",
    path: "/webhooks/delete",
    access: "channels",
    success: 200,
    body: () => ({ webhook_identifiers: ["Zapier"] }),
    invalid: { value: { webhook_identifiers: "Zapier" } },
    setup: createZapier,
  },
  { name: "get the storage config", method: "GET", path: "/webhooks/storage-config", access: "channels", success: 200 },
  {
    name: "get a full access token",
    method: "POST",
    path: "/auth/token/full",
    access: "public",
    success: 200,
    body: () => USERS.analyst,
    invalid: { value: { username: 7, password: "analyst" } },
  },
  {
    name: "validate a token",
    method: "POST",
    path: "/auth/token/validate",
    access: "any",
    success: 200,
    body: (token) => ({ token }),
    invalid: { value: { token: 12345 } },
  },
  {
    name: "revoke the own token",
    method: "POST",
    path: "/auth/token/revoke",
    access: "any",
    success: 204,
    body: () => ({}),
    invalid: { value: { token: ["a"] } },
  },
  {
    name: "log in",
    method: "POST",
    path: "/auth/session/login",
    access: "public",
    success: 204,
    body: () => USERS.analyst,
    invalid: { raw: '{"username": "analyst", ' },
  },
  { name: "log out", method: "POST", path: "/auth/session/logout", access: "any", success: 204, invalid: { raw: "{not json" } },
  { name: "get the current user", method: "GET", path: "/auth/session/user", access: "any", success: 200 },
  {
    name: "search orgs",
    method: "POST",
    path: "/orgs/search",
    access: "any",
    success: 200,
    body: () => ({}),
    invalid: { value: { visibility: "SOMETIMES" } },
  },
];

/** Contract §1.7: which fixture users may call which class of endpoint. */
const ALLOWED: Record<Access, User[]> = {
  public: ["admin", "developer", "webhookManager", "appAdmin", "analyst"],
  any: ["admin", "developer", "webhookManager", "appAdmin", "analyst"],
  preferences: ["admin", "developer", "appAdmin"], // ADMINISTRATION, DEVELOPER, APPLICATION_ADMINISTRATION
  channels: ["admin", "developer", "webhookManager"], // ADMINISTRATION, DEVELOPER, CAN_MANAGE_WEBHOOKS
};
const USER_NAMES = Object.keys(USERS) as User[];

const label = (r: Row) => `${r.method} ${r.path} (${r.name})`;

async function prepared(row: Row, options: Parameters<typeof emulator>[0] = {}) {
  const emu = await emulator(options);
  if (row.setup) await row.setup(emu, await login(emu, "admin"));
  return emu;
}

function send(emu: Emulator, row: Row, token: string | undefined, opts: CallOptions = {}) {
  const body = row.body ? row.body(token ?? "") : undefined;
  return call(emu, row.method, row.path, body, { ...opts, ...(token !== undefined && { token }) });
}

function expect401(res: { status: number; body: any; text: string }) {
  expect(res.status, res.text).toBe(401);
  expect(errorCode(res.body)).toBe(10097);
  expect(debugText(res.body)).toMatch(/^Authentication required to .+\.$/);
}

const protectedRows = ROWS.filter((r) => r.access !== "public");
const publicRows = ROWS.filter((r) => r.access === "public");

describe("without credentials", () => {
  it.each(protectedRows.map((r) => [label(r), r] as const))(
    "%s answers 401 code 10097 'Authentication required to ...'",
    async (_l, row) => {
      const emu = await prepared(row);
      expect401(await send(emu, row, undefined));
    },
  );

  it.each(publicRows.map((r) => [label(r), r] as const))("%s needs no token", async (_l, row) => {
    const emu = await prepared(row);
    const res = await send(emu, row, undefined);
    expect(res.status, res.text).toBe(row.success);
  });

  it("answers 401 before looking at an invalid body", async () => {
    const emu = await emulator();
    expect401(await call(emu, "POST", "/webhooks/create", { name: 1 }));
  });
});

describe("with a bad credential", () => {
  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 for a garbage token", async (_l, row) => {
    const emu = await prepared(row);
    expect401(await send(emu, row, "Z2FyYmFnZS10b2tlbg=="));
  });

  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 for an expired token", async (_l, row) => {
    const clock = createClock(Date.UTC(2026, 1, 26));
    clock.freeze(true);
    const emu = await prepared(row, { clock });
    const token = await login(emu, "admin");
    clock.advance(300_001);
    expect401(await send(emu, row, token));
  });

  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 for a revoked token", async (_l, row) => {
    const emu = await prepared(row);
    const token = await login(emu, "admin");
    const revoked = await call(emu, "POST", "/auth/token/revoke", {}, { token });
    expect(revoked.status).toBe(204);
    expect401(await send(emu, row, token));
  });

  it.each(protectedRows.map((r) => [label(r), r] as const))("%s answers 401 for an unknown session cookie", async (_l, row) => {
    const emu = await prepared(row);
    expect401(await send(emu, row, undefined, { headers: { cookie: "JSESSIONID=6f1c1c9e-7d3e-4c1a-9d59-1d2b3c4d5e6f" } }));
  });
});

describe("privileges", () => {
  const cases = protectedRows.flatMap((row) =>
    USER_NAMES.map((user) => [label(row), user, ALLOWED[row.access].includes(user) ? "allowed" : "forbidden", row] as const),
  );

  it.each(cases)("%s as %s is %s", async (_l, user, verdict, row) => {
    const emu = await prepared(row);
    const token = await login(emu, user);
    const res = await send(emu, row, token);
    if (verdict === "allowed") {
      expect([401, 403], `${res.status} ${res.text}`).not.toContain(res.status);
      expect(res.status, res.text).toBe(row.success);
    } else {
      expect(res.status, res.text).toBe(403);
      expect(errorCode(res.body)).toBe(10023);
      expect(debugText(res.body)).toMatch(/^Insufficient privileges to .+\.$/);
    }
  });

  it.each(protectedRows.map((r) => [label(r), r] as const))("%s accepts the session cookie of an administrator", async (_l, row) => {
    const emu = await prepared(row);
    const loginRes = await call(emu, "POST", "/auth/session/login", USERS.admin);
    const cookie = (loginRes.headers.get("set-cookie") ?? "").split(";")[0];
    expect(cookie).toMatch(/^JSESSIONID=/);
    // token/validate checks a bearer token given in the body; the session only authenticates the call.
    const body = row.body ? row.body(await login(emu, "admin")) : undefined;
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
