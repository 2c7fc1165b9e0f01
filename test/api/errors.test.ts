import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { type CallOptions, type CallResult, call, debugText, emulator, errorCode, login, WEBHOOK } from "../support/index.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FORBIDDEN_STATUSES = [404, 409, 415, 422];

/** Checks the live envelope exactly and returns its debug strings. */
function expectLiveEnvelope(res: CallResult, status: number, code: number): string[] {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type") ?? "").toMatch(/application\/json/);
  expect(Object.keys(res.body)).toEqual(["error"]);
  expect(Object.keys(res.body.error)).toEqual(["message"]);
  expect(Object.keys(res.body.error.message)).toEqual(["debug"]);
  const inner = res.body.error.message.debug;
  expect(inner).toEqual({
    code,
    incident_id_guid: expect.stringMatching(UUID),
    trace_id_guid: expect.stringMatching(UUID),
    debug: expect.any(String),
  });
  const texts = JSON.parse(inner.debug);
  expect(Array.isArray(texts)).toBe(true);
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) expect(typeof t).toBe("string");
  return texts;
}

function expect400(res: CallResult): string {
  return expectLiveEnvelope(res, 400, 10002)[0];
}

async function setup(): Promise<{ emu: Emulator; token: string }> {
  const emu = await emulator();
  return { emu, token: await login(emu) };
}

describe("the live error envelope", () => {
  it("nests code, uuid guids and a JSON-encoded array of strings under error.message.debug", async () => {
    const { emu, token } = await setup();
    const res = await call(emu, "POST", "/webhooks/unknown-id/update", { description: "x" }, { token });
    expect(expectLiveEnvelope(res, 400, 10002)).toEqual(["Webhook with the specified identifier was not found."]);
    expect(res.body.error.message.debug.incident_id_guid).not.toBe(res.body.error.message.debug.trace_id_guid);
  });

  it("uses code 10097 for 401 and 10023 for 403", async () => {
    const emu = await emulator();
    const unauth = await call(emu, "POST", "/webhooks/search", {});
    expect(expectLiveEnvelope(unauth, 401, 10097)[0]).toMatch(/^Authentication required to .+\.$/);
    const analyst = await login(emu, "analyst");
    const denied = await call(emu, "POST", "/webhooks/search", {}, { token: analyst });
    expect(expectLiveEnvelope(denied, 403, 10023)[0]).toMatch(/^Insufficient privileges to .+\.$/);
  });

  it("draws fresh guids for each error", async () => {
    const emu = await emulator();
    const a = await call(emu, "POST", "/webhooks/search", {});
    const b = await call(emu, "POST", "/webhooks/search", {});
    expect(a.body.error.message.debug.incident_id_guid).not.toBe(b.body.error.message.debug.incident_id_guid);
  });
});

describe('errorShape: "spec"', () => {
  it("renders the flat envelope with a plain debug text", async () => {
    const emu = await emulator({ errorShape: "spec" });
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/unknown-id/update", { description: "x" }, { token });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        message: {
          code: 10002,
          incident_id_guid: expect.stringMatching(UUID),
          trace_id_guid: expect.stringMatching(UUID),
          debug: "Webhook with the specified identifier was not found.",
        },
      },
    });
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("Webhook with the specified identifier was not found.");
  });

  it("renders 401 flat with code 10097", async () => {
    const emu = await emulator({ errorShape: "spec" });
    const res = await call(emu, "GET", "/auth/session/user");
    expect(res.status).toBe(401);
    expect(res.body.error.message).toEqual({
      code: 10097,
      incident_id_guid: expect.stringMatching(UUID),
      trace_id_guid: expect.stringMatching(UUID),
      debug: expect.stringMatching(/^Authentication required to .+\.$/),
    });
  });
});

describe("bad requests are 400 code 10002 in the envelope", () => {
  it("for malformed JSON", async () => {
    const { emu, token } = await setup();
    const res = await call(emu, "POST", "/webhooks/create", undefined, { token, raw: '{"name": "x",' });
    expect(expect400(res)).toMatch(/JSON/i);
  });

  it("for malformed JSON on a public endpoint", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", undefined, { raw: "{username: tsadmin}" });
    expect400(res);
  });

  it("for a wrong content type (text/plain with a body)", async () => {
    const { emu, token } = await setup();
    const res = await call(emu, "POST", "/webhooks/create", undefined, {
      token,
      raw: JSON.stringify(WEBHOOK),
      headers: { "content-type": "text/plain" },
    });
    expect(expect400(res)).toMatch(/content-type/i);
  });

  it("for a body over 1 MB", async () => {
    const { emu, token } = await setup();
    const raw = JSON.stringify({ ...WEBHOOK, description: "x".repeat(1024 * 1024 + 10) });
    const res = await call(emu, "POST", "/webhooks/create", undefined, { token, raw });
    expect400(res);
    expect((await call(emu, "POST", "/webhooks/search", {}, { token })).body.webhooks).toEqual([]);
  });

  it("for a body over 1 MB sent with a Content-Length header", async () => {
    const { emu, token } = await setup();
    const raw = JSON.stringify({ ...WEBHOOK, description: "x".repeat(1024 * 1024 + 10) });
    const res = await call(emu, "POST", "/webhooks/create", undefined, {
      token,
      raw,
      headers: { "content-length": String(Buffer.byteLength(raw)) },
    });
    expect400(res);
  });

  it.each([
    ["a top-level JSON array", "[]"],
    ["a top-level JSON string", '"hello"'],
    ["a top-level JSON number", "42"],
    ["JSON null", "null"],
  ])("for %s", async (_label, raw) => {
    const { emu, token } = await setup();
    const res = await call(emu, "POST", "/webhooks/search", undefined, { token, raw });
    expect400(res);
  });

  it.each([
    ["a number for a string field", "/webhooks/create", { ...WEBHOOK, name: 123 }, "name"],
    ["a string for an array field", "/webhooks/create", { ...WEBHOOK, events: "LIVEBOARD_SCHEDULE" }, "events"],
    ["a string for an integer field", "/webhooks/search", { record_size: "10" }, "record_size"],
    ["a fractional integer", "/webhooks/search", { record_offset: 1.5 }, "record_offset"],
    ["a string for an object field", "/webhooks/create", { ...WEBHOOK, url_params: "a=b" }, "url_params"],
    ["a bad event enum", "/webhooks/create", { ...WEBHOOK, events: ["LIVEBOARD_SCHEDULED"] }, "events"],
    ["a bad status enum", "/webhooks/search", { status: "MAYBE" }, "status"],
    ["a bad sort enum", "/webhooks/search", { sort_options: { field_name: "SIZE" } }, "field_name"],
    [
      "a bad channel enum",
      "/system/preferences/communication-channels/configure",
      { cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["SMS"] }] },
      "channels",
    ],
    [
      "a bad channel_type",
      "/system/communication-channels/validate",
      { channel_type: "EMAIL", channel_identifier: "x", event_type: "LIVEBOARD_SCHEDULE" },
      "channel_type",
    ],
    ["a missing name", "/webhooks/create", { url: WEBHOOK.url, events: WEBHOOK.events }, "name"],
    ["a missing url", "/webhooks/create", { name: "x", events: WEBHOOK.events }, "url"],
    ["a missing events", "/webhooks/create", { name: "x", url: WEBHOOK.url }, "events"],
    ["a missing webhook_identifiers", "/webhooks/delete", {}, "webhook_identifiers"],
    [
      "a missing channel_identifier",
      "/system/communication-channels/validate",
      { channel_type: "WEBHOOK", event_type: "LIVEBOARD_SCHEDULE" },
      "channel_identifier",
    ],
    ["a missing event_type", "/system/communication-channels/validate", { channel_type: "WEBHOOK", channel_identifier: "x" }, "event_type"],
    ["a missing token", "/auth/token/validate", {}, "token"],
  ])("for %s (debug names the field)", async (_label, path, body, field) => {
    const { emu, token } = await setup();
    const res = await call(emu, "POST", path, body, { token });
    expect(expect400(res)).toContain(field);
  });

  it("for an unknown path under /api/rest/2.0, never 404", async () => {
    const { emu, token } = await setup();
    for (const [method, path] of [
      ["POST", "/webhooks/nope/frobnicate"],
      ["GET", "/does/not/exist"],
      ["POST", "/metadata/search"],
      ["GET", ""],
    ]) {
      const res = await call(emu, method, path, method === "POST" ? {} : undefined, { token });
      expect400(res);
    }
  });

  it("for an unknown path even without a token", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/nothing/here", {});
    expect400(res);
  });

  it.each([
    ["GET", "/webhooks/create"],
    ["PUT", "/webhooks/search"],
    ["DELETE", "/webhooks/delete"],
    ["PATCH", "/webhooks/some-id/update"],
    ["POST", "/webhooks/storage-config"],
    ["POST", "/auth/session/user"],
    ["GET", "/auth/token/full"],
  ])("for the unknown method %s on the known path %s", async (method, path) => {
    const { emu, token } = await setup();
    const res = await call(emu, method, path, method === "GET" ? undefined : {}, { token });
    expect400(res);
  });
});

describe("status codes the official client cannot read", () => {
  type Probe = [label: string, run: (emu: Emulator, token: string) => Promise<CallResult>];
  const post =
    (path: string, body?: unknown, opts: Omit<CallOptions, "token"> = {}) =>
    (emu: Emulator, token: string) =>
      call(emu, "POST", path, body, { token, ...opts });
  const probes: Probe[] = [
    ["unknown path", post("/no/such/endpoint", {})],
    ["unknown GET path", (emu, token) => call(emu, "GET", "/webhooks/nope", undefined, { token })],
    ["unknown method", (emu, token) => call(emu, "DELETE", "/webhooks/search", undefined, { token })],
    ["unknown webhook on update", post("/webhooks/ghost/update", { name: "x" })],
    [
      "unknown webhook on validate",
      post("/system/communication-channels/validate", {
        channel_type: "WEBHOOK",
        channel_identifier: "ghost",
        event_type: "LIVEBOARD_SCHEDULE",
      }),
    ],
    ["unknown org on search", post("/webhooks/search", { org_identifier: "no-such-org" })],
    [
      "unknown org on configure",
      post("/system/preferences/communication-channels/configure", {
        org_preferences: [{ org_identifier: "no-such-org", preferences: [] }],
      }),
    ],
    ["unknown job id", post("/jobs/history/communication-channels/search", { channel_type: "WEBHOOK", job_ids: ["n.ghost"] })],
    ["wrong content type", post("/webhooks/search", undefined, { raw: "{}", headers: { "content-type": "text/plain" } })],
    ["xml content type", post("/webhooks/search", undefined, { raw: "<a/>", headers: { "content-type": "application/xml" } })],
    ["malformed JSON", post("/webhooks/search", undefined, { raw: "{" })],
    ["invalid body", post("/webhooks/create", { name: 1 })],
    [
      "conflict: second webhook in the org",
      async (emu, token) => {
        await call(emu, "POST", "/webhooks/create", WEBHOOK, { token });
        return call(emu, "POST", "/webhooks/create", { ...WEBHOOK, name: "Second" }, { token });
      },
    ],
    ["revoke an unknown token", post("/auth/token/revoke", { token: "nope" })],
    ["no token", (emu) => call(emu, "POST", "/webhooks/search", {})],
  ];

  it.each(probes)("never answers 404/409/415/422 for %s", async (_label, run) => {
    const { emu, token } = await setup();
    const res = await run(emu, token);
    expect(FORBIDDEN_STATUSES).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(res.body?.error?.message, res.text).toBeDefined();
  });
});

describe("lenient input", () => {
  it("ignores unknown fields in a body", async () => {
    const { emu, token } = await setup();
    const res = await call(emu, "POST", "/webhooks/create", { ...WEBHOOK, colour: "blue", nested: { a: 1 } }, { token });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("colour");
    expect(res.body).not.toHaveProperty("nested");
    expect(res.body.name).toBe("Zapier");
    const search = await call(emu, "POST", "/webhooks/search", { unknown_filter: "x" }, { token });
    expect(search.status).toBe(200);
    expect(search.body.webhooks).toHaveLength(1);
  });

  it("accepts application/json with a charset parameter", async () => {
    const { emu, token } = await setup();
    const res = await call(emu, "POST", "/webhooks/create", undefined, {
      token,
      raw: JSON.stringify(WEBHOOK),
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("Zapier");
  });

  it("ignores unknown fields on token/full", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { username: "tsadmin", password: "admin", access_level: "FULL", extra: true });
    expect(res.status).toBe(200);
    expect(typeof res.body.token).toBe("string");
  });

  it.each(["/webhooks/search", "/system/preferences/communication-channels/search", "/orgs/search"])(
    "treats an empty body on %s as {}",
    async (path) => {
      const { emu, token } = await setup();
      const withObject = await call(emu, "POST", path, {}, { token });
      const noBody = await call(emu, "POST", path, undefined, { token });
      const emptyJson = await call(emu, "POST", path, undefined, { token, raw: "" });
      expect(withObject.status).toBe(200);
      expect(noBody.status).toBe(200);
      expect(emptyJson.status).toBe(200);
      expect(noBody.body).toEqual(withObject.body);
      expect(emptyJson.body).toEqual(withObject.body);
    },
  );
});
