/**
 * The admin surface (/_emulator/*) cannot be driven by a web page: JSON-only bodies, a present
 * Origin must be an allowed one, an optional admin token; a Host allow-list guards every request
 * against DNS rebinding; admin views and error texts show no header values, url_params values or
 * URL credentials.
 */
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/index.js";
import { call, createWebhook, debugText, emulator, errorCode, frozenClock, login, T0 } from "../support/index.js";

const TEXT = { "content-type": "text/plain" };

/** An emulator with one webhook in namespace "victim"; `webhooks()` counts what its state shows. */
async function withVictim(options: Parameters<typeof emulator>[0] = {}) {
  const emu = await emulator(options);
  const token = await login(emu, "admin", undefined, "victim");
  await createWebhook(emu, token, {}, { namespace: "victim" });
  const webhooks = async () => {
    const res = await call(emu, "GET", "/_emulator/state", undefined, {
      namespace: "victim",
      headers: options.adminToken ? { "x-emulator-admin-token": options.adminToken } : {},
    });
    expect(res.status, res.text).toBe(200);
    return res.body.webhooks.length;
  };
  return { emu, webhooks };
}

describe("admin requests carry JSON or nothing", () => {
  it("refuses a text/plain POST /_emulator/reset (no CORS preflight needed for it) with 415 in the admin error envelope, resetting nothing", async () => {
    const { emu, webhooks } = await withVictim();
    const res = await call(emu, "POST", "/_emulator/reset", undefined, { raw: '{"namespace":"victim"}', headers: TEXT });
    expect(res.status).toBe(415);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe('Admin requests with a body must be sent as Content-Type: application/json (got "text/plain").');
    expect(await webhooks()).toBe(1);
  });

  it("refuses a form-encoded clock move with 415 and leaves the clock where it was", async () => {
    const emu = await emulator({ clock: frozenClock() });
    const res = await call(emu, "POST", "/_emulator/clock", undefined, {
      raw: "advance_ms=86400000",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect(debugText(res.body)).toContain("application/json");
    expect((await call(emu, "GET", "/_emulator/clock")).body.now).toBe(T0);
  });

  it("refuses a form POST with an empty body too (a content type that is not JSON)", async () => {
    const { emu, webhooks } = await withVictim();
    const res = await call(emu, "POST", "/_emulator/reset", undefined, {
      raw: "",
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(res.status).toBe(415);
    expect(await webhooks()).toBe(1);
  });

  it("accepts a bodiless POST without a content type, and JSON with a charset", async () => {
    const { emu, webhooks } = await withVictim({ clock: frozenClock() });
    const moved = await call(emu, "POST", "/_emulator/clock", undefined, {
      raw: '{"advance_ms":1000}',
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.now).toBe(T0 + 1000);
    const reset = await call(emu, "POST", "/_emulator/reset");
    expect(reset.body).toEqual({ reset: "all namespaces" });
    expect(await webhooks()).toBe(0);
  });

  it("keeps answering a non-JSON body under /api/rest/2.0 with 400 10002 (never 415 there)", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/search", undefined, { token, raw: "{}", headers: TEXT });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
  });
});

describe("a present Origin must be an allowed one on the admin routes", () => {
  it("refuses a foreign Origin with 403 on a POST and even on a GET, and resets nothing", async () => {
    const { emu, webhooks } = await withVictim();
    const headers = { origin: "https://evil.example" };
    const reset = await call(emu, "POST", "/_emulator/reset", undefined, { headers });
    expect(reset.status).toBe(403);
    expect(errorCode(reset.body)).toBe(10023);
    expect(debugText(reset.body)).toContain('Origin "https://evil.example" may not call the emulator\'s admin routes');
    const state = await call(emu, "GET", "/_emulator/state", undefined, { headers, namespace: "victim" });
    expect(state.status).toBe(403);
    expect(state.text).not.toContain("Zapier");
    expect(await webhooks()).toBe(1);
  });

  it("refuses Origin null (sandboxed frames, file: pages) and look-alikes of localhost", async () => {
    const emu = await emulator();
    for (const origin of ["null", "http://localhost.evil.example", "http://127.0.0.1.nip.io:8080", "file://"]) {
      const res = await call(emu, "GET", "/_emulator/clock", undefined, { headers: { origin } });
      expect(res.status, origin).toBe(403);
    }
  });

  it("accepts localhost origins of any port and requests without an Origin", async () => {
    const emu = await emulator();
    for (const origin of ["http://localhost:5173", "https://127.0.0.1:3000", "http://[::1]:8080", undefined]) {
      const res = await call(emu, "GET", "/_emulator/clock", undefined, { headers: origin ? { origin } : {} });
      expect(res.status, origin).toBe(200);
      expect(res.body).toHaveProperty("frozen");
    }
  });

  it("follows the --cors-origin list exactly", async () => {
    const emu = await emulator({ corsOrigins: ["http://app.test:3000"] });
    const ok = await call(emu, "GET", "/_emulator/clock", undefined, { headers: { origin: "http://app.test:3000" } });
    expect(ok.status).toBe(200);
    const local = await call(emu, "GET", "/_emulator/clock", undefined, { headers: { origin: "http://localhost:5173" } });
    expect(local.status).toBe(403);
    expect(debugText(local.body)).toContain("--cors-origin");
  });
});

describe("the Host allow-list", () => {
  it("refuses a DNS-rebinding Host with 403 naming --allowed-host, on the admin routes and the API alike", async () => {
    const emu = await emulator();
    const headers = { host: "attacker.example:4010" };
    const state = await call(emu, "GET", "/_emulator/state", undefined, { headers });
    expect(state.status).toBe(403);
    expect(debugText(state.body)).toBe(
      'Host "attacker.example" is not a name this emulator answers to (a guard against DNS rebinding). Start it with --allowed-host attacker.example to accept that name.',
    );
    const login = await call(emu, "POST", "/auth/token/full", { username: "tsadmin", password: "admin" }, { headers });
    expect(login.status).toBe(403);
    expect(errorCode(login.body)).toBe(10023);
    expect(login.text).not.toContain('token":');
  });

  it("accepts localhost, *.localhost, 127.0.0.0/8, [::1], no Host at all, the --host value and --allowed-host names", async () => {
    const emu = await emulator({ host: "10.1.2.3", allowedHosts: ["emulator", "Emu.Internal"] });
    const hosts = [
      "localhost",
      "localhost:4010",
      "app.localhost:4010",
      "127.0.0.1:4010",
      "127.9.8.7",
      "[::1]:4010",
      "10.1.2.3:4010",
      "emulator:4010",
      "emu.internal",
      "LOCALHOST.",
    ];
    for (const host of hosts) {
      const res = await call(emu, "GET", "/_emulator/clock", undefined, { headers: { host } });
      expect(res.status, host).toBe(200);
    }
    expect((await call(emu, "GET", "/_emulator/clock")).status).toBe(200);
  });

  it("does not mistake look-alikes or malformed values for allowed names", async () => {
    const emu = await emulator();
    for (const host of [
      "localhost.attacker.example",
      "127.0.0.1.nip.io",
      "0.0.0.0:4010",
      "[::2]:4010",
      "127.0.0.256",
      "localhost:4010:1",
      "a b",
    ]) {
      const res = await call(emu, "GET", "/_emulator/clock", undefined, { headers: { host } });
      expect(res.status, host).toBe(403);
      expect(debugText(res.body), host).toContain("--allowed-host");
    }
  });
});

describe("--admin-token", () => {
  const TOKEN = "adm-7c1e";

  it("answers 401 to an admin request without the token or with a wrong one, and lets the right one through", async () => {
    const { emu, webhooks } = await withVictim({ adminToken: TOKEN });
    const missing = await call(emu, "POST", "/_emulator/reset");
    expect(missing.status).toBe(401);
    expect(errorCode(missing.body)).toBe(10097);
    expect(debugText(missing.body)).toBe(
      "The emulator's admin routes need the X-Emulator-Admin-Token header with the value of --admin-token.",
    );
    const wrong = await call(emu, "GET", "/_emulator/state", undefined, {
      namespace: "victim",
      headers: { "x-emulator-admin-token": `${TOKEN}x` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain("Zapier");
    expect(await webhooks()).toBe(1);
    const right = await call(emu, "POST", "/_emulator/reset", undefined, { headers: { "x-emulator-admin-token": TOKEN } });
    expect(right.body).toEqual({ reset: "all namespaces" });
    expect(await webhooks()).toBe(0);
  });

  it("keeps GET /_emulator/health open and leaves the ThoughtSpot API to its own tokens", async () => {
    const emu = await emulator({ adminToken: TOKEN });
    const health = await call(emu, "GET", "/_emulator/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    expect((await call(emu, "GET", "/_emulator/metrics")).status).toBe(401);
    const token = await login(emu);
    const search = await call(emu, "POST", "/webhooks/search", {}, { token });
    expect(search.body.webhooks).toEqual([]);
  });

  it("guards a percent-encoded admin path the way the router reads it", async () => {
    const { emu, webhooks } = await withVictim({ adminToken: TOKEN });
    const res = await emu.app.request("/%5Femulator/reset", { method: "POST" });
    expect(res.status).toBe(401);
    expect(await webhooks()).toBe(1);
    const open = await withVictim();
    const foreign = await open.emu.app.request("/%5Femulator/reset", { method: "POST", headers: { origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(await open.webhooks()).toBe(1);
    // The same path from an allowed caller is the reset route: the guard saw the route the router picked.
    expect((await open.emu.app.request("/%5Femulator/reset", { method: "POST" })).status).toBe(200);
    expect(await open.webhooks()).toBe(0);
  });

  it("is required to listen beyond loopback: startEmulator refuses 0.0.0.0 without one, in one line", async () => {
    const started = startEmulator({ host: "0.0.0.0", port: 0, log: () => {} });
    await expect(started).rejects.toThrow(/^\[emulator\] Refusing to listen on 0\.0\.0\.0: .*--admin-token/);
    const message = await started.catch((err: Error) => err.message);
    expect(message).not.toContain("\n");
  });
});

describe("secrets in admin views and error texts", () => {
  const HOOK = {
    url: "https://hookuser:hookpass-31f@hooks.example.com/catch",
    url_params: { api_key: "qp-secret-77a", region: "eu" },
    additional_headers: [{ key: "X-Secret", value: "hdr-secret-91c" }],
    authentication: {
      OAUTH2: { authorization_url: "https://cid:urlpass-5d2@auth.example.com/token", client_id: "c1", client_secret: "cs-1" },
    },
  };
  const SECRETS = ["hookpass-31f", "hookuser", "qp-secret-77a", "hdr-secret-91c", "urlpass-5d2"];

  it("GET /_emulator/state shows additional_headers values, url_params values and URL credentials as ***", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await createWebhook(emu, token, HOOK);
    const state = await call(emu, "GET", "/_emulator/state");
    const [w] = state.body.webhooks;
    expect(w.url).toBe("https://***@hooks.example.com/catch");
    expect(w.url_params).toEqual({ api_key: "***", region: "***" });
    expect(w.additional_headers).toEqual([{ key: "X-Secret", value: "***" }]);
    expect(w.authentication.OAUTH2).toEqual({
      authorization_url: "https://***@auth.example.com/token",
      client_id: "c1",
      client_secret: "***",
    });
    for (const s of SECRETS) expect(state.text).not.toContain(s);
  });

  it("leaves url_params, additional_headers and the URL as they are in the ThoughtSpot responses (real clusters show them)", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token, HOOK);
    expect(created.url).toBe(HOOK.url);
    const search = await call(emu, "POST", "/webhooks/search", {}, { token });
    expect(search.body.webhooks[0]).toMatchObject({
      url: HOOK.url,
      url_params: HOOK.url_params,
      additional_headers: HOOK.additional_headers,
    });
  });

  it("does not echo user:password@ in the 400 for an invalid url", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const ftp = await call(
      emu,
      "POST",
      "/webhooks/create",
      { ...HOOK, url: "ftp://ftpuser:ftp-pw-64e@files.example.com/x", events: ["LIVEBOARD_SCHEDULE"], name: "f" },
      { token },
    );
    expect(ftp.status).toBe(400);
    expect(debugText(ftp.body)).toBe('url must be a valid http or https URL: "ftp://***@files.example.com/x".');
    const broken = await call(
      emu,
      "POST",
      "/webhooks/create",
      { name: "b", url: "http://u1:broken-pw-12b@exa mple.com/", events: ["LIVEBOARD_SCHEDULE"] },
      { token },
    );
    expect(broken.status).toBe(400);
    expect(debugText(broken.body)).toBe('url must be a valid http or https URL: "http://***@exa mple.com/".');
  });

  it("GET /_emulator/scenarios shows no user:password@ in a rule's url glob", async () => {
    const emu = await emulator();
    const put = await call(emu, "PUT", "/_emulator/scenarios/active", {
      rules: [{ match: { hook: "validation.http", url: "https://u:glob-pw-8f0@hooks.example.com/*" }, outcome: { http_status: 500 } }],
    });
    expect(put.status, put.text).toBe(200);
    const list = await call(emu, "GET", "/_emulator/scenarios");
    expect(list.body.active[0].rules[0].match.url).toBe("https://***@hooks.example.com/*");
    expect(list.text).not.toContain("glob-pw-8f0");
    expect(put.text).not.toContain("glob-pw-8f0");
  });
});
