import { describe, expect, it } from "vitest";
import { call, createWebhook, debugText, emulator, login, validateBody, WEBHOOK } from "../support/index.js";

const VALIDATE = "/system/communication-channels/validate";

describe("the request journal", () => {
  it("records each API request with its operation, caller, redacted headers and body, status and response", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const hook = await createWebhook(emu, token, {
      authentication: { BEARER_TOKEN: "bearer-secret-1" },
      signature_verification: { type: "HMAC_SHA256", header: "X-TS-Signature", algorithm: "SHA256", secret: "sig-secret-1" },
      additional_headers: [{ key: "X-Api-Key", value: "header-secret-1" }],
    });
    await call(emu, "POST", VALIDATE, validateBody(hook.id), { token });
    const res = await call(emu, "GET", "/_emulator/requests");
    expect(res.status).toBe(200);
    expect(res.body.enabled).toBe(true);
    const [validate, create, tokenCall] = res.body.requests.filter((r: any) => r.kind === "incoming");
    expect(validate).toMatchObject({
      id: expect.stringMatching(/^r-\d+$/),
      method: "POST",
      path: "/api/rest/2.0/system/communication-channels/validate",
      operation: "validateCommunicationChannel",
      principal: { user: "tsadmin", org: "0" },
      status: 200,
      body: validateBody(hook.id),
      response: { channel_id: hook.id, result_code: "SUCCESS" },
      trace_id: null,
      scenarios: [],
    });
    expect(validate.headers.authorization).toBe("Bearer ***");
    expect(validate.duration_ms).toBeGreaterThanOrEqual(0);
    expect(typeof validate.time_iso).toBe("string");
    expect(create.operation).toBe("createWebhookConfiguration");
    expect(tokenCall.body).toEqual({ username: "tsadmin", password: "***" });
    expect(tokenCall.response.token).toBe("***");
    const everything = JSON.stringify(res.body);
    for (const secret of ["bearer-secret-1", "sig-secret-1", "header-secret-1", token, '"password":"admin"'])
      expect(everything).not.toContain(secret);
  });

  it("never shows a secret of a malformed body, a form body, an array-valued password or a body nested too deep", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await call(emu, "POST", "/webhooks/create", undefined, { token, raw: '{"authentication":{"BEARER_TOKEN":"leak-1"' });
    await call(emu, "POST", "/webhooks/create", undefined, {
      token,
      raw: "authentication=leak-2&x=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    await call(emu, "POST", "/auth/token/full", { username: "tsadmin", password: ["leak-3"] });
    await call(emu, "POST", "/webhooks/create", undefined, {
      token,
      raw: `{"authentication":{"BEARER_TOKEN":"leak-4"},"u":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    });
    const text = (await call(emu, "GET", "/_emulator/requests")).text;
    for (const leak of ["leak-1", "leak-2", "leak-3", "leak-4"]) expect(text).not.toContain(leak);
    const list = (await call(emu, "GET", "/_emulator/requests")).body.requests;
    expect(list.map((r: any) => r.body).slice(0, 4)).toEqual([
      { authentication: { BEARER_TOKEN: "***" }, u: expect.anything() },
      { username: "tsadmin", password: "***" },
      "authentication=***&x=***",
      '{"authentication":{"BEARER_TOKEN":"***"',
    ]);
  });

  it("records the outgoing call of a validation with its purpose, job and try", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const hook = await createWebhook(emu, token);
    const v = await call(emu, "POST", VALIDATE, validateBody(hook.id), { token });
    const res = await call(emu, "GET", "/_emulator/requests?kind=outgoing");
    expect(res.body.requests).toHaveLength(1);
    expect(res.body.requests[0]).toMatchObject({
      kind: "outgoing",
      method: "POST",
      path: WEBHOOK.url,
      status: 200,
      outgoing: { purpose: "validation", job_id: v.body.job_id, try: 1, of: 1, error: null },
    });
  });

  it("keeps an error's trace id and the scenario rules that fired", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const bad = await call(emu, "POST", "/webhooks/search", { record_size: 0 }, { token });
    expect(bad.status).toBe(400);
    const hook = await createWebhook(emu, token);
    await call(emu, "POST", VALIDATE, validateBody(hook.id), { token, headers: { "x-emulator-scenario": "webhook-returns-500" } });
    const list = (await call(emu, "GET", "/_emulator/requests")).body.requests;
    const search = list.find((r: any) => r.operation === "searchWebhookConfigurations");
    expect(search.trace_id).toBe(bad.body.error.message.debug.trace_id_guid);
    expect(debugText(search.response)).toBe("record_size must be a positive integer.");
    const validate = list.find((r: any) => r.operation === "validateCommunicationChannel");
    expect(validate.scenarios).toEqual([{ scenario: "webhook-returns-500", rule: 0, at: "validation.http" }]);
  });

  it("filters by operation, method, path, status, kind, since and limit, and refuses an unknown filter naming the valid ones", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await call(emu, "POST", "/webhooks/search", {}, { token });
    await call(emu, "POST", "/webhooks/search", { record_size: -1 }, { token });
    const get = async (q: string) => (await call(emu, "GET", `/_emulator/requests?${q}`)).body;
    expect((await get("operation=searchWebhookConfigurations")).total).toBe(2);
    expect((await get("status=400")).requests.map((r: any) => r.status)).toEqual([400]);
    expect((await get("path=/api/rest/2.0/auth/*")).requests.map((r: any) => r.operation)).toEqual(["getFullAccessToken"]);
    expect((await get("method=GET")).total).toBe(0);
    expect((await get("limit=1")).requests).toHaveLength(1);
    expect((await get(`since=${Date.now() + 3_600_000}`)).total).toBe(0);
    const bad = await call(emu, "GET", "/_emulator/requests?operaton=x");
    expect(bad.status).toBe(400);
    expect(debugText(bad.body)).toMatch(/operaton.*the parameters are: operation, method, path, status, kind, since, limit/);
    expect((await call(emu, "GET", "/_emulator/requests?limit=100000")).status).toBe(400);
  });

  it("finds matching requests by a JSON subset of the body, and answers the closest ones with what differs when none match", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const hook = await createWebhook(emu, token);
    await call(emu, "POST", VALIDATE, validateBody(hook.id), { token });
    const hit = await call(emu, "POST", "/_emulator/requests/find", {
      operation: "validateCommunicationChannel",
      body: { channel_identifier: hook.id },
    });
    expect(hit.body.count).toBe(1);
    expect(hit.body.requests[0].body.channel_identifier).toBe(hook.id);
    expect(hit.body.near_misses).toEqual([]);
    const miss = await call(emu, "POST", "/_emulator/requests/find", {
      operation: "validateCommunicationChannel",
      body: { channel_identifier: "other-id" },
    });
    expect(miss.body.count).toBe(0);
    expect(miss.body.near_misses[0].request.operation).toBe("validateCommunicationChannel");
    expect(miss.body.near_misses[0].differences).toEqual([{ field: "body.channel_identifier", expected: "other-id", actual: hook.id }]);
    const malformed = await call(emu, "POST", "/_emulator/requests/find", { operation: 7 });
    expect(malformed.status).toBe(400);
    expect(debugText(malformed.body)).toMatch(/^Invalid admin request at operation: /);
    // The typed helper of the programmatic API answers the same.
    expect(emu.requests.find({ operation: "validateCommunicationChannel", body: { channel_identifier: hook.id } }).count).toBe(1);
  });

  it("is per namespace, cleared by DELETE and by a reset", async () => {
    const emu = await emulator();
    await login(emu, "admin", undefined, "a");
    await login(emu, "admin", undefined, "b");
    const inA = await call(emu, "GET", "/_emulator/requests", undefined, { namespace: "a" });
    expect(inA.body.requests.map((r: any) => r.operation)).toEqual(["getFullAccessToken"]);
    expect((await call(emu, "DELETE", "/_emulator/requests", undefined, { namespace: "a" })).body.cleared).toBe(1);
    expect((await call(emu, "GET", "/_emulator/requests", undefined, { namespace: "a" })).body.total).toBe(0);
    expect((await call(emu, "GET", "/_emulator/requests", undefined, { namespace: "b" })).body.total).toBe(1);
    await call(emu, "POST", "/_emulator/reset", { namespace: "b" });
    expect((await call(emu, "GET", "/_emulator/requests", undefined, { namespace: "b" })).body.total).toBe(0);
  });

  it("keeps the last --journal-size requests, and none with 0", async () => {
    const small = await emulator({ journalSize: 3 });
    for (let i = 0; i < 5; i++) await call(small, "POST", "/auth/token/full", { username: "tsadmin", password: `wrong-${i}` });
    const kept = (await call(small, "GET", "/_emulator/requests")).body.requests;
    expect(kept).toHaveLength(3);
    expect(kept.map((r: any) => r.id)).toEqual(["r-5", "r-4", "r-3"]);
    const off = await emulator({ journalSize: 0 });
    await login(off);
    expect((await call(off, "GET", "/_emulator/requests")).body).toMatchObject({ enabled: false, total: 0 });
  });

  it("records /_emulator requests only with --journal-admin", async () => {
    const plain = await emulator();
    await call(plain, "GET", "/_emulator/state");
    expect((await call(plain, "GET", "/_emulator/requests")).body.total).toBe(0);
    const admin = await emulator({ journalAdmin: true });
    await call(admin, "GET", "/_emulator/state");
    const list = (await call(admin, "GET", "/_emulator/requests")).body.requests;
    expect(list.find((r: any) => r.path === "/_emulator/state").response.namespace).toBe("default");
  });
});
