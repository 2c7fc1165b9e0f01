import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import {
  call,
  debugText,
  emulator,
  errorCode,
  FIXTURES,
  frozenClock,
  login,
  ORGS,
  readFixtures,
  T0,
  USERS,
  userId,
} from "../support/index.js";

/** Auth as clusters accept it from clients other than the TypeScript SDK (docs/decisions.md, "What clients send"). */

const SECRET = FIXTURES.secret_key as string;

/** Fixtures with `dana`, a DEVELOPER who is a member of testOrg only (and ORG_ADMINISTRATION there). */
async function withOrgMember(): Promise<Emulator> {
  const fixtures = readFixtures();
  fixtures.users.push({
    id: "5b0c2d4e-6f70-4812-9a3b-4c5d6e7f8091",
    name: "dana",
    display_name: "Dana",
    email: "dana@example.com",
    password: "dana",
    privileges: ["DEVELOPER", "ORG_ADMINISTRATION"],
    orgs: [String(ORGS.testOrg)],
    default_org: String(ORGS.testOrg),
  });
  return emulator({ fixtures });
}

const danaToken = async (emu: Emulator) =>
  (await call(emu, "POST", "/auth/token/full", { username: "dana", password: "dana", org_id: ORGS.testOrg })).body.token as string;

/** 400 code 13090 with the live text, compact JSON (clients string-match '"code":13090'). */
function expectNoAccess(res: { status: number; body: any; text: string }, user: string, org: number) {
  expect(res.status, res.text).toBe(400);
  expect(errorCode(res.body)).toBe(13090);
  expect(res.text).toContain('"code":13090');
  expect(debugText(res.body)).toBe(`User ${user} do not have access to org ${org}`);
}

describe("POST /auth/token/full as the generated Python, Java and C# SDKs send it", () => {
  it("takes an empty secret_key as not given and checks the password", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", {
      username: "tsadmin",
      password: "admin",
      secret_key: "",
      validity_time_in_sec: 300,
      auto_create: false,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.valid_for_username).toBe("tsadmin");
  });

  it("takes an empty password as not given and checks the secret_key", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", {
      username: "developer",
      password: "",
      secret_key: SECRET,
      auto_create: false,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.valid_for_username).toBe("developer");
  });

  it("answers the spec's 400 when both are empty", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", {
      username: "tsadmin",
      password: "",
      secret_key: "",
      validity_time_in_sec: 300,
    });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("Either secret_key or password must be provided.");
  });

  it("lets the secret_key win when both are given, as the spec says", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { username: "tsadmin", password: "wrong", secret_key: SECRET });
    expect(res.status, res.text).toBe(200);
  });

  it.each([
    ["a number", ORGS.testOrg1],
    ["a numeric string", String(ORGS.testOrg1)],
  ])("takes org_id as %s", async (_l, org_id) => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, org_id });
    expect(res.status, res.text).toBe(200);
    expect(res.body.scope.org_id).toBe(ORGS.testOrg1);
  });

  it("answers 400 naming org_id when it is neither", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, org_id: "testOrg1" });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toContain("org_id");
  });

  it("ignores keys it does not know, such as an org_identifier", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, org_identifier: "testOrg1", validity_time_in_sec: 300 });
    expect(res.status, res.text).toBe(200);
    expect(res.body.scope.org_id).toBe(0);
  });

  it("answers 400 code 13090 for an org the user is not a member of", async () => {
    const emu = await withOrgMember();
    expectNoAccess(await call(emu, "POST", "/auth/token/full", { username: "dana", password: "dana", org_id: 0 }), "dana", 0);
    const trusted = await call(emu, "POST", "/auth/token/full", { username: "dana", secret_key: SECRET, org_id: ORGS.testOrg1 });
    expectNoAccess(trusted, "dana", ORGS.testOrg1);
  });

  it("keeps the 10002 text for an org that does not exist", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, org_id: 424242 });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("User tsadmin does not belong to the org with id 424242.");
  });

  it("answers token/validate with token_type BEARER, as the spec's examples", async () => {
    const emu = await emulator();
    const token = await login(emu, "developer");
    const res = await call(emu, "POST", "/auth/token/validate", { token }, { token });
    expect(res.body.token_type).toBe("BEARER");
  });
});

describe("just-in-time provisioning (auto_create)", () => {
  it("creates the user in the org with display_name, email and groups, and the token works", async () => {
    const emu = await emulator({ clock: frozenClock() });
    const res = await call(emu, "POST", "/auth/token/full", {
      username: "jit_analyst@example.com",
      secret_key: SECRET,
      auto_create: true,
      display_name: "JIT Analyst",
      email: "jit_analyst@example.com",
      group_identifiers: ["Sales", "0b5a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"],
      org_id: ORGS.testOrg,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ valid_for_username: "jit_analyst@example.com", scope: { org_id: ORGS.testOrg } });
    const me = await call(emu, "GET", "/auth/session/user", undefined, { token: res.body.token });
    expect(me.body).toMatchObject({
      id: res.body.valid_for_user_id,
      name: "jit_analyst@example.com",
      display_name: "JIT Analyst",
      email: "jit_analyst@example.com",
      current_org: { id: ORGS.testOrg, name: "testOrg" },
      orgs: [{ id: ORGS.testOrg, name: "testOrg" }],
      privileges: [],
      user_groups: [
        { id: null, name: "Sales" },
        { id: "0b5a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", name: null },
      ],
    });
    const state = await call(emu, "GET", "/_emulator/state");
    expect(state.body.users.map((u: { name: string }) => u.name)).toContain("jit_analyst@example.com");
  });

  it("updates an existing user's display name and email instead of creating another", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", {
      username: "analyst",
      secret_key: SECRET,
      auto_create: true,
      display_name: "Ana Renamed",
      email: "ana@example.org",
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.valid_for_user_id).toBe(userId("analyst"));
    const me = await call(emu, "GET", "/auth/session/user", undefined, { token: res.body.token });
    expect(me.body).toMatchObject({ display_name: "Ana Renamed", email: "ana@example.org" });
  });

  it("needs the secret_key (the spec's note), and creates nobody with a password", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { username: "newbie", password: "x", auto_create: true });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toBe("For JIT provisioning of a user, the secret_key is required.");
    const state = await call(emu, "GET", "/_emulator/state");
    expect(state.body.users.map((u: { name: string }) => u.name)).not.toContain("newbie");
  });

  it("does not create a user without auto_create: an unknown user is a 401", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { username: "newbie", secret_key: SECRET, auto_create: false });
    expect(res.status).toBe(401);
  });

  it("makes the new user a member of its org only: another org is 13090, and no password signs it in", async () => {
    const emu = await emulator();
    await call(emu, "POST", "/auth/token/full", { username: "jit", secret_key: SECRET, auto_create: true, org_id: ORGS.testOrg });
    expectNoAccess(await call(emu, "POST", "/auth/token/full", { username: "jit", secret_key: SECRET, org_id: 0 }), "jit", 0);
    expect((await call(emu, "POST", "/auth/token/full", { username: "jit", password: "" })).status).toBe(400);
    expect((await call(emu, "POST", "/auth/session/login", { username: "jit", password: "" })).status).toBe(401);
  });
});

describe("POST /auth/session/login as TSRestApiV2 and cs_tools send it", () => {
  const cookieOf = (res: { headers: Headers }) => /^JSESSIONID=([^;]+); Path=\/; HttpOnly$/.exec(res.headers.get("set-cookie") ?? "")?.[1];

  it('takes remember_me as the string "true" and org_identifier as a number', async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/session/login", {
      username: "tsadmin",
      password: "admin",
      remember_me: "true",
      org_identifier: ORGS.testOrg1,
    });
    expect(res.status, res.text).toBe(204);
    const me = await call(emu, "GET", "/auth/session/user", undefined, { headers: { cookie: `JSESSIONID=${cookieOf(res)}` } });
    expect(me.body.current_org).toEqual({ id: ORGS.testOrg1, name: "testOrg1" });
  });

  it("answers 400 naming remember_me when it is not a boolean", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/session/login", { ...USERS.admin, remember_me: "sometimes" });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toContain("remember_me");
  });

  it('logs in with only a bearer token and {remember_me: "true"}, in the token\'s org', async () => {
    const emu = await emulator();
    const token = await login(emu, "developer", ORGS.testOrg);
    const res = await call(emu, "POST", "/auth/session/login", { remember_me: "true" }, { token });
    expect(res.status, res.text).toBe(204);
    const session = cookieOf(res);
    expect(session).toBeDefined();
    const me = await call(emu, "GET", "/auth/session/user", undefined, { headers: { cookie: `JSESSIONID=${session}` } });
    expect(me.body).toMatchObject({ name: "developer", current_org: { id: ORGS.testOrg } });
  });

  it("logs in with only a session cookie and no username", async () => {
    const emu = await emulator();
    const first = await call(emu, "POST", "/auth/session/login", USERS.analyst);
    const res = await call(emu, "POST", "/auth/session/login", {}, { headers: { cookie: `JSESSIONID=${cookieOf(first)}` } });
    expect(res.status, res.text).toBe(204);
    expect(cookieOf(res)).not.toBe(cookieOf(first));
  });

  it("answers the spec's login 401 with neither a username nor a valid credential", async () => {
    const emu = await emulator();
    for (const opts of [{}, { token: "Z2FyYmFnZQ==" }]) {
      const res = await call(emu, "POST", "/auth/session/login", { remember_me: "true" }, opts);
      expect(res.status).toBe(401);
      expect(debugText(res.body)).toBe("Authentication failed. Verify that the username and password are correct.");
    }
  });

  it("answers the spec's 400 for an unknown org and 13090 for an org the user is not in", async () => {
    const emu = await withOrgMember();
    const unknown = await call(emu, "POST", "/auth/session/login", { ...USERS.admin, org_identifier: "noSuchOrg" });
    expect(unknown.status).toBe(400);
    expect(errorCode(unknown.body)).toBe(10002);
    expect(debugText(unknown.body)).toBe("The specified org_identifier does not refer to a valid or accessible org.");
    expectNoAccess(await call(emu, "POST", "/auth/session/login", { username: "dana", password: "dana", org_identifier: 0 }), "dana", 0);
  });

  it("ends a session without remember_me after three hours without use, and keeps a used one alive", async () => {
    const clock = frozenClock();
    const emu = await emulator({ clock });
    const idle = cookieOf(await call(emu, "POST", "/auth/session/login", { ...USERS.admin, remember_me: false }));
    const used = cookieOf(await call(emu, "POST", "/auth/session/login", USERS.admin));
    const me = (id: string | undefined) => call(emu, "GET", "/auth/session/user", undefined, { headers: { cookie: `JSESSIONID=${id}` } });
    for (let i = 0; i < 4; i++) {
      clock.advance(2 * 3600_000);
      expect((await me(used)).status).toBe(200);
    }
    expect((await me(idle)).status).toBe(401);
  });

  it("keeps a remember_me session for about seven days", async () => {
    const clock = frozenClock();
    const emu = await emulator({ clock });
    const id = cookieOf(await call(emu, "POST", "/auth/session/login", { ...USERS.admin, remember_me: true }));
    const me = () => call(emu, "GET", "/auth/session/user", undefined, { headers: { cookie: `JSESSIONID=${id}` } });
    clock.advance(6.9 * 86_400_000);
    expect((await me()).status).toBe(200);
    expect((await me()).body.expiration_time_in_millis).toBe(T0 + 7 * 86_400_000);
    clock.advance(0.2 * 86_400_000);
    expect((await me()).status).toBe(401);
  });
});

describe("GET /auth/session/token", () => {
  it("mints a new 24-hour bearer token for the session's user and org", async () => {
    const emu = await emulator({ clock: frozenClock() });
    const login = await call(emu, "POST", "/auth/session/login", { ...USERS.developer, org_identifier: "testOrg1" });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    const res = await call(emu, "GET", "/auth/session/token", undefined, { headers: { cookie } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      token: expect.any(String),
      creation_time_in_millis: T0,
      expiration_time_in_millis: T0 + 86_400_000,
      valid_for_user_id: userId("developer"),
      valid_for_username: "developer",
    });
    const me = await call(emu, "GET", "/auth/session/user", undefined, { token: res.body.token });
    expect(me.body.current_org).toEqual({ id: ORGS.testOrg1, name: "testOrg1" });
  });

  it("answers a bearer token's caller too (cs_tools' login check)", async () => {
    const emu = await emulator();
    const token = await login(emu, "analyst");
    const res = await call(emu, "GET", "/auth/session/token", undefined, { token });
    expect(res.status).toBe(200);
    expect(res.body.token).not.toBe(token);
    expect(res.body.valid_for_username).toBe("analyst");
  });
});

describe("GET /system", () => {
  it("answers every SystemInfo property cs_tools and ts_admin read, with the emulated release", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin");
    const res = await call(emu, "GET", "/system", undefined, { token, headers: { "content-type": "application/json" } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      release_version: "26.8.0.cl",
      type: "SAAS",
      tsadmin_user_id: userId("tsadmin"),
      all_user_group_member_user_count: FIXTURES.users.length,
    });
    for (const key of ["id", "name", "system_user_id", "super_user_id"]) expect(typeof res.body[key]).toBe("string");
    expect(res.body.release_version.split(".").length).toBeGreaterThanOrEqual(3);
    expect(() => new Intl.DateTimeFormat("en-US", { timeZone: res.body.time_zone })).not.toThrow();
    expect(Object.keys(res.body)).toHaveLength(23);
  });

  it.each([
    ["10.14", "10.14.0.cl"],
    ["26.4", "26.4.0.cl"],
    ["26.10", "26.10.0.cl"],
  ])("reports --release %s as %s", async (release, tag) => {
    const emu = await emulator({ release });
    const token = await login(emu, "admin");
    expect((await call(emu, "GET", "/system", undefined, { token })).body.release_version).toBe(tag);
  });

  it("answers the spec's 403 to a user without ADMINISTRATION", async () => {
    const emu = await emulator();
    const token = await login(emu, "developer");
    const res = await call(emu, "GET", "/system", undefined, { token });
    expect(res.status).toBe(403);
    expect(debugText(res.body)).toBe("ADMINISTRATION privilege required to retrieve system information.");
  });
});

describe("org membership wherever an org is named", () => {
  it("answers 13090 to org_identifier in preferences configure and search", async () => {
    const emu = await withOrgMember();
    const token = await danaToken(emu);
    const prefs = [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }];
    const cfg = await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/configure",
      { org_preferences: [{ org_identifier: "testOrg1", preferences: prefs }] },
      { token },
    );
    expectNoAccess(cfg, "dana", ORGS.testOrg1);
    const own = await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/configure",
      { org_preferences: [{ org_identifier: "testOrg", preferences: prefs }] },
      { token },
    );
    expect(own.status, own.text).toBe(204);
    const search = await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/search",
      { org_preferences: [{ org_identifier: "Primary" }] },
      { token },
    );
    expectNoAccess(search, "dana", 0);
    const all = await call(emu, "POST", "/system/preferences/communication-channels/search", {}, { token });
    expect(all.body).toEqual({ org_preferences: [{ org: { id: String(ORGS.testOrg), name: "testOrg" }, preferences: prefs }] });
  });

  it("answers 13090 to org_identifier in webhooks search", async () => {
    const emu = await withOrgMember();
    const token = await danaToken(emu);
    expectNoAccess(await call(emu, "POST", "/webhooks/search", { org_identifier: "testOrg1" }, { token }), "dana", ORGS.testOrg1);
    expect((await call(emu, "POST", "/webhooks/search", { org_identifier: "testOrg" }, { token })).status).toBe(200);
  });

  it("answers 13090 to org_identifier in orgs search and lists only the user's orgs", async () => {
    const emu = await withOrgMember();
    const token = await danaToken(emu);
    expectNoAccess(await call(emu, "POST", "/orgs/search", { org_identifier: "Primary" }, { token }), "dana", 0);
    const all = await call(emu, "POST", "/orgs/search", {}, { token });
    expect(all.body.map((o: { name: string }) => o.name)).toEqual(["testOrg"]);
  });

  it("keeps the existing 10002 texts for orgs that do not exist", async () => {
    const emu = await withOrgMember();
    const token = await danaToken(emu);
    const search = await call(emu, "POST", "/webhooks/search", { org_identifier: "noSuchOrg" }, { token });
    expect(errorCode(search.body)).toBe(10002);
    const prefs = await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/search",
      { org_preferences: [{ org_identifier: "noSuchOrg" }] },
      { token },
    );
    expect(errorCode(prefs.body)).toBe(10002);
    expect(debugText(prefs.body)).toBe("org_identifier in org_preferences does not match a known org.");
  });

  it("lets a cluster administrator name any org, member or not", async () => {
    const fixtures = readFixtures();
    fixtures.users[0].orgs = ["0"];
    const emu = await emulator({ fixtures });
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, org_id: ORGS.testOrg1 });
    expect(res.status, res.text).toBe(200);
    // the token is one of that org
    const token = res.body.token;
    const valid = await call(emu, "POST", "/auth/token/validate", { token }, { token });
    expect(valid.body.scope).toMatchObject({ org_id: ORGS.testOrg1 });
  });
});
