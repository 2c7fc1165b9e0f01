import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { API, call, debugText, emulator, errorCode, login, WEBHOOK } from "../support/index.js";

function preflight(emu: Emulator, origin: string, path = `${API}/webhooks/search`) {
  return emu.app.request(path, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type,x-emulator-namespace",
    },
  });
}

const headerList = (value: string | null) => (value ?? "").split(",").map((h) => h.trim().toLowerCase());

describe("CORS", () => {
  it("answers a preflight from http://localhost:5173 with 204, echoing the origin and allowing credentials", async () => {
    const emu = await emulator();
    const res = await preflight(emu, "http://localhost:5173");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    const allowed = headerList(res.headers.get("access-control-allow-headers"));
    expect(allowed).toContain("authorization");
    expect(allowed).toContain("x-emulator-namespace");
    expect(allowed).toContain("content-type");
    expect(headerList(res.headers.get("access-control-allow-methods"))).toContain("post");
  });

  it("allows other loopback origins such as http://127.0.0.1:3000", async () => {
    const emu = await emulator();
    const res = await preflight(emu, "http://127.0.0.1:3000");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3000");
  });

  it("sets the allow-origin header on an actual request from a localhost origin", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/search", {}, { token, headers: { origin: "http://localhost:5173" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("gives a non-localhost origin no allow-origin header", async () => {
    const emu = await emulator();
    const res = await preflight(emu, "https://evil.example");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const token = await login(emu);
    const actual = await call(emu, "POST", "/webhooks/search", {}, { token, headers: { origin: "https://evil.example" } });
    expect(actual.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("does not mistake a look-alike host for localhost", async () => {
    const emu = await emulator();
    const res = await preflight(emu, "http://localhost.evil.example");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("restricts origins to the corsOrigins option when given", async () => {
    const emu = await emulator({ corsOrigins: ["http://app.test:3000"] });
    const ok = await preflight(emu, "http://app.test:3000");
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://app.test:3000");
    expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
    const local = await preflight(emu, "http://localhost:5173");
    expect(local.headers.get("access-control-allow-origin")).toBeNull();
    const evil = await preflight(emu, "https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("namespaces", () => {
  it("keeps a webhook created in namespace a invisible in namespace b", async () => {
    const emu = await emulator();
    const a = await login(emu, "admin", undefined, "a");
    const b = await login(emu, "admin", undefined, "b");
    const created = await call(emu, "POST", "/webhooks/create", WEBHOOK, { token: a, namespace: "a" });
    expect(created.status).toBe(200);
    const inA = await call(emu, "POST", "/webhooks/search", {}, { token: a, namespace: "a" });
    expect(inA.body.webhooks.map((w: any) => w.id)).toEqual([created.body.id]);
    const inB = await call(emu, "POST", "/webhooks/search", {}, { token: b, namespace: "b" });
    expect(inB.status).toBe(200);
    expect(inB.body.webhooks).toEqual([]);
    expect(inB.body.pagination.total_count).toBe(0);
    // The one-per-org rule is per namespace too: b may create its own.
    const inBCreate = await call(emu, "POST", "/webhooks/create", WEBHOOK, { token: b, namespace: "b" });
    expect(inBCreate.status).toBe(200);
  });

  it("uses the token's namespace when no X-Emulator-Namespace header is sent", async () => {
    const emu = await emulator();
    const a = await login(emu, "admin", undefined, "a");
    const created = await call(emu, "POST", "/webhooks/create", WEBHOOK, { token: a });
    expect(created.status).toBe(200);
    const withHeader = await call(emu, "POST", "/webhooks/search", {}, { token: a, namespace: "a" });
    expect(withHeader.body.webhooks.map((w: any) => w.id)).toEqual([created.body.id]);
    const inDefault = await call(emu, "POST", "/webhooks/search", {}, { token: await login(emu) });
    expect(inDefault.body.webhooks).toEqual([]);
    const stateA = await call(emu, "GET", "/_emulator/state", undefined, { namespace: "a" });
    expect(stateA.body.webhooks.map((w: any) => w.id)).toEqual([created.body.id]);
  });

  it("uses the session cookie's namespace when no X-Emulator-Namespace header is sent", async () => {
    const emu = await emulator();
    const login = await call(emu, "POST", "/auth/session/login", { username: "tsadmin", password: "admin" }, { namespace: "b" });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const me = await call(emu, "GET", "/auth/session/user", undefined, { headers: { cookie } });
    expect(me.status).toBe(200);
    const created = await call(emu, "POST", "/webhooks/create", WEBHOOK, { headers: { cookie } });
    expect(created.status).toBe(200);
    const stateB = await call(emu, "GET", "/_emulator/state", undefined, { namespace: "b" });
    expect(stateB.body.webhooks.map((w: any) => w.id)).toEqual([created.body.id]);
  });

  it.each(["has space", "a/b", "x".repeat(65), "semi;colon"])("answers 400 code 10002 for the invalid namespace header %j", async (ns) => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/search", {}, { token, headers: { "x-emulator-namespace": ns } });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toMatch(/X-Emulator-Namespace/i);
  });

  it("restores the fixtures in namespace a only on POST /_emulator/reset {namespace: a}", async () => {
    const emu = await emulator();
    const a = await login(emu, "admin", undefined, "a");
    const b = await login(emu, "admin", undefined, "b");
    expect((await call(emu, "POST", "/webhooks/create", WEBHOOK, { token: a, namespace: "a" })).status).toBe(200);
    expect((await call(emu, "POST", "/webhooks/create", WEBHOOK, { token: b, namespace: "b" })).status).toBe(200);
    const cfg = await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/configure",
      {
        cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }],
      },
      { token: a, namespace: "a" },
    );
    expect(cfg.status).toBe(204);

    const reset = await call(emu, "POST", "/_emulator/reset", { namespace: "a" });
    expect(reset.status).toBe(200);

    const stateA = await call(emu, "GET", "/_emulator/state", undefined, { namespace: "a" });
    expect(stateA.body.webhooks).toEqual([]);
    expect(stateA.body.preferences).toEqual({ cluster: [], orgs: {} });
    expect(stateA.body.orgs.map((o: any) => o.name)).toEqual(["Primary", "testOrg", "testOrg1"]);
    const stateB = await call(emu, "GET", "/_emulator/state", undefined, { namespace: "b" });
    expect(stateB.body.webhooks).toHaveLength(1);

    const a2 = await login(emu, "admin", undefined, "a");
    const searchA = await call(emu, "POST", "/webhooks/search", {}, { token: a2, namespace: "a" });
    expect(searchA.body.webhooks).toEqual([]);
    const searchB = await call(emu, "POST", "/webhooks/search", {}, { token: b, namespace: "b" });
    expect(searchB.status).toBe(200);
    expect(searchB.body.webhooks).toHaveLength(1);
  });
});

describe("GET /_emulator/health", () => {
  it("answers 200 {status: ok, version, uptime_ms}", async () => {
    const emu = await emulator();
    const res = await call(emu, "GET", "/_emulator/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", version: expect.any(String), uptime_ms: expect.any(Number) });
    expect(res.body.version.length).toBeGreaterThan(0);
    expect(res.body.uptime_ms).toBeGreaterThanOrEqual(0);
  });
});
