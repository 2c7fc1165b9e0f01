import { describe, expect, it } from "vitest";
import { call, debugText, emulator, errorCode, FIXTURES, frozenClock, login, T0, USERS, userId } from "../support/index.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("POST /auth/token/full", () => {
  it("issues a full-access token for a username and password", async () => {
    const emu = await emulator({ clock: frozenClock() });
    const res = await call(emu, "POST", "/auth/token/full", USERS.admin);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.any(String),
      creation_time_in_millis: T0,
      expiration_time_in_millis: T0 + 300_000,
      scope: { access_type: "FULL", org_id: 0, metadata_id: null },
      valid_for_user_id: userId("tsadmin"),
      valid_for_username: "tsadmin",
    });
  });

  it("issues a token with the fixtures' trusted-auth secret_key instead of a password", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { username: "developer", secret_key: FIXTURES.secret_key });
    expect(res.status).toBe(200);
    expect(res.body.valid_for_user_id).toBe(userId("developer"));
    expect(res.body.valid_for_username).toBe("developer");
    const user = await call(emu, "GET", "/auth/session/user", undefined, { token: res.body.token });
    expect(user.status).toBe(200);
    expect(user.body.name).toBe("developer");
  });

  it("makes tokens valid for 300 seconds by default", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", USERS.developer);
    expect(res.body.expiration_time_in_millis - res.body.creation_time_in_millis).toBe(300_000);
  });

  it("honours validity_time_in_sec", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.developer, validity_time_in_sec: 3600 });
    expect(res.status).toBe(200);
    expect(res.body.expiration_time_in_millis - res.body.creation_time_in_millis).toBe(3_600_000);
  });

  it("uses the tokenTtlSec option as the default validity, which validity_time_in_sec still overrides", async () => {
    const emu = await emulator({ tokenTtlSec: 60 });
    const dflt = await call(emu, "POST", "/auth/token/full", USERS.developer);
    expect(dflt.body.expiration_time_in_millis - dflt.body.creation_time_in_millis).toBe(60_000);
    const explicit = await call(emu, "POST", "/auth/token/full", { ...USERS.developer, validity_time_in_sec: 120 });
    expect(explicit.body.expiration_time_in_millis - explicit.body.creation_time_in_millis).toBe(120_000);
  });

  it("scopes the token to the requested org_id as an integer", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, org_id: 1532970882 });
    expect(res.status).toBe(200);
    expect(res.body.scope).toEqual({ access_type: "FULL", org_id: 1532970882, metadata_id: null });
    const user = await call(emu, "GET", "/auth/session/user", undefined, { token: res.body.token });
    expect(user.body.current_org).toEqual({ id: 1532970882, name: "testOrg" });
  });

  it("issues opaque base64 tokens, not JWTs, and a new one each time", async () => {
    const emu = await emulator();
    const a = await login(emu, "admin");
    const b = await login(emu, "admin");
    for (const t of [a, b]) {
      expect(t).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(t.length % 4).toBe(0);
      expect(t.split(".").length).toBeLessThan(3);
    }
    expect(a).not.toBe(b);
  });

  it("answers 400 when neither password nor secret_key is given", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { username: "tsadmin" });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("Either secret_key or password must be provided.");
  });

  it.each([
    ["a wrong password", { username: "tsadmin", password: "nope" }],
    ["an unknown user", { username: "nobody", password: "admin" }],
    ["a wrong secret_key", { username: "tsadmin", secret_key: "not-the-key" }],
  ])("answers 401 code 10097 for %s", async (_label, body) => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", body);
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe(10097);
    expect(debugText(res.body)).toBe("Invalid credentials. The provided secret key or password is incorrect.");
  });

  it("answers 400 naming username when it is missing", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { password: "admin" });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toContain("username");
  });
});

describe("token expiry", () => {
  it("follows an injected emulator clock: a protected call fails with 401 once the token expired", async () => {
    const clock = frozenClock();
    const emu = await emulator({ clock });
    const token = await login(emu, "admin");
    clock.advance(299_000);
    const before = await call(emu, "POST", "/webhooks/search", {}, { token });
    expect(before.status).toBe(200);
    clock.advance(1_000);
    const after = await call(emu, "POST", "/webhooks/search", {}, { token });
    expect(after.status).toBe(401);
    expect(errorCode(after.body)).toBe(10097);
    expect(debugText(after.body)).toBe("Authentication required to search webhook configurations.");
  });

  it("follows POST /_emulator/clock {advance_ms}", async () => {
    const emu = await emulator();
    const token = await login(emu, "developer");
    expect((await call(emu, "GET", "/auth/session/user", undefined, { token })).status).toBe(200);
    const moved = await call(emu, "POST", "/_emulator/clock", { advance_ms: 301_000 });
    expect(moved.status).toBe(200);
    const res = await call(emu, "GET", "/auth/session/user", undefined, { token });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe(10097);
  });
});

describe("token growth", () => {
  const loginOnce = async (emu: Awaited<ReturnType<typeof emulator>>, body: Record<string, unknown> = {}) => {
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, ...body });
    if (res.status !== 200) throw new Error(res.text);
  };
  const meanMs = async (emu: Awaited<ReturnType<typeof emulator>>, n: number) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) await loginOnce(emu);
    return (performance.now() - started) / n;
  };

  it("keeps the cost of a login flat over 20,000 logins: #20,000 is not slower than #1,000 by more than 2x", async () => {
    // Before amortized pruning every login rebuilt the token index: the 20,000th cost ~20x the 1,000th.
    const emu = await emulator({ clock: frozenClock() });
    await meanMs(emu, 500);
    const around1000 = await meanMs(emu, 500);
    await meanMs(emu, 18_500);
    const around20000 = await meanMs(emu, 500);
    expect(around20000, `logins 501-1000: ${around1000.toFixed(3)} ms each, 19501-20000: ${around20000.toFixed(3)} ms`).toBeLessThan(
      2 * around1000,
    );
    const state = await call(emu, "GET", "/_emulator/state");
    expect(state.body.tokens).toBe(20_000); // none expired: all are kept
  });

  it("keeps the token count bounded when tokens expire", async () => {
    const clock = frozenClock();
    const emu = await emulator({ clock });
    let most = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1000; i++) await loginOnce(emu, { validity_time_in_sec: 1 });
      clock.advance(2000); // every token issued so far has expired
      most = Math.max(most, (await call(emu, "GET", "/_emulator/state")).body.tokens);
    }
    // Expired tokens are dropped whenever the count doubles: never more than twice the tokens alive at once (+ slack for the first 64).
    expect(most).toBeLessThanOrEqual(2 * 1000 + 128);
  });
});

describe("POST /auth/token/validate", () => {
  it("describes a valid token", async () => {
    const emu = await emulator({ clock: frozenClock() });
    const issued = await call(emu, "POST", "/auth/token/full", { ...USERS.developer, org_id: 2100019165 });
    const token = issued.body.token;
    const res = await call(emu, "POST", "/auth/token/validate", { token }, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      creation_time_in_millis: T0,
      expiration_time_in_millis: T0 + 300_000,
      scope: { access_type: "FULL", org_id: 2100019165, metadata_id: null },
      valid_for_user_id: userId("developer"),
      token_type: expect.any(String),
    });
  });

  it("answers 400 for a malformed token", async () => {
    const emu = await emulator();
    const token = await login(emu, "analyst");
    const res = await call(emu, "POST", "/auth/token/validate", { token: "not-a-real-token" }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("The provided token is malformed and cannot be parsed.");
  });

  it("answers 400 (not 401) for an expired token", async () => {
    const clock = frozenClock();
    const emu = await emulator({ clock });
    const short = (await call(emu, "POST", "/auth/token/full", { ...USERS.admin, validity_time_in_sec: 60 })).body.token;
    const long = (await call(emu, "POST", "/auth/token/full", { ...USERS.admin, validity_time_in_sec: 3600 })).body.token;
    clock.advance(61_000);
    const res = await call(emu, "POST", "/auth/token/validate", { token: short }, { token: long });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("The provided token has expired.");
  });
});

describe("POST /auth/token/revoke", () => {
  it("revokes the caller's own token with 204, after which it is rejected with 401", async () => {
    const emu = await emulator();
    const token = await login(emu, "developer");
    const res = await call(emu, "POST", "/auth/token/revoke", {}, { token });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    const after = await call(emu, "GET", "/auth/session/user", undefined, { token });
    expect(after.status).toBe(401);
    expect(errorCode(after.body)).toBe(10097);
  });

  it("forbids a developer from revoking another user's token (403 code 10023)", async () => {
    const emu = await emulator();
    const admin = await login(emu, "admin");
    const dev = await login(emu, "developer");
    const res = await call(emu, "POST", "/auth/token/revoke", { token: admin }, { token: dev });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe(10023);
    expect(debugText(res.body)).toBe("Insufficient privileges to revoke tokens for another user.");
    expect((await call(emu, "GET", "/auth/session/user", undefined, { token: admin })).status).toBe(200);
  });

  it("forbids a developer from revoking another user's tokens by user_identifier", async () => {
    const emu = await emulator();
    const admin = await login(emu, "admin");
    const dev = await login(emu, "developer");
    const res = await call(emu, "POST", "/auth/token/revoke", { user_identifier: "tsadmin" }, { token: dev });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe(10023);
    expect((await call(emu, "GET", "/auth/session/user", undefined, { token: admin })).status).toBe(200);
  });

  it("lets an administrator revoke another user's token (204)", async () => {
    const emu = await emulator();
    const admin = await login(emu, "admin");
    const dev = await login(emu, "developer");
    const res = await call(emu, "POST", "/auth/token/revoke", { token: dev }, { token: admin });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await call(emu, "GET", "/auth/session/user", undefined, { token: dev })).status).toBe(401);
    expect((await call(emu, "GET", "/auth/session/user", undefined, { token: admin })).status).toBe(200);
  });
});

describe("session login", () => {
  async function sessionCookie(emu: Awaited<ReturnType<typeof emulator>>, user: keyof typeof USERS = "admin") {
    const res = await call(emu, "POST", "/auth/session/login", USERS[user]);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    const setCookie = res.headers.get("set-cookie") ?? "";
    const m = setCookie.match(/^JSESSIONID=([^;]+); Path=\/; HttpOnly$/);
    expect(m, `Set-Cookie was ${JSON.stringify(setCookie)}`).not.toBeNull();
    return m![1];
  }

  it("answers 204 with Set-Cookie JSESSIONID=<uuid>; Path=/; HttpOnly", async () => {
    const emu = await emulator();
    const id = await sessionCookie(emu);
    expect(id).toMatch(UUID);
  });

  it("authenticates GET /auth/session/user through the cookie", async () => {
    const emu = await emulator();
    const id = await sessionCookie(emu);
    const res = await call(emu, "GET", "/auth/session/user", undefined, { headers: { cookie: `JSESSIONID=${id}` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: userId("tsadmin"),
      name: "tsadmin",
      display_name: "Administrator",
      email: "tsadmin@example.com",
      visibility: expect.any(String),
      account_type: expect.any(String),
      account_status: expect.any(String),
      current_org: { id: 0, name: "Primary" },
      privileges: expect.arrayContaining(["ADMINISTRATION", "DEVELOPER", "CAN_MANAGE_WEBHOOKS", "APPLICATION_ADMINISTRATION"]),
    });
    expect(Number.isInteger(res.body.current_org.id)).toBe(true);
    expect(res.body.orgs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 0, name: "Primary" }),
        expect.objectContaining({ id: 1532970882, name: "testOrg" }),
        expect.objectContaining({ id: 2100019165, name: "testOrg1" }),
      ]),
    );
    for (const o of res.body.orgs) expect(Number.isInteger(o.id)).toBe(true);
  });

  it("rejects bad session credentials with 401 code 10097", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/session/login", { username: "tsadmin", password: "wrong" });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe(10097);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("logs out with 204, after which the cookie is rejected with 401", async () => {
    const emu = await emulator();
    const id = await sessionCookie(emu, "analyst");
    const headers = { cookie: `JSESSIONID=${id}` };
    const out = await call(emu, "POST", "/auth/session/logout", undefined, { headers });
    expect(out.status).toBe(204);
    expect(out.text).toBe("");
    const res = await call(emu, "GET", "/auth/session/user", undefined, { headers });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe(10097);
  });
});

describe("POST /orgs/search", () => {
  it("lists orgs with integer ids, name, status, description and visibility", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin");
    const res = await call(emu, "POST", "/orgs/search", {}, { token });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(3);
    for (const o of res.body) {
      expect(Object.keys(o).sort()).toEqual(expect.arrayContaining(["description", "id", "name", "status", "visibility"]));
      expect(typeof o.id).toBe("number");
      expect(typeof o.name).toBe("string");
      expect(typeof o.status).toBe("string");
      expect(typeof o.visibility).toBe("string");
    }
    expect(res.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 0, name: "Primary", description: "Primary org" }),
        expect.objectContaining({ id: 1532970882, name: "testOrg", description: "Test org" }),
        expect.objectContaining({ id: 2100019165, name: "testOrg1", description: "Second test org" }),
      ]),
    );
  });
});
