import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "../../src/api/index.js";
import type { Emulator } from "../../src/index.js";
import { MESSAGES } from "../../src/schemas/messages.js";
import { OPERATION_IDS } from "../../src/schemas/operations.js";
import { call, debugText, emulator, errorCode, login } from "../support/index.js";

/** Every endpoint's 401, 403 and 500 texts, read from the message catalog and checked over HTTP. */

const CODES = { 401: 10097, 403: 10023, 500: 10038 } as const;
const path = (p: string) => p.replace(/:(\w+)/g, "x");
const rows = ENDPOINTS.map((e) => [e.operationId, e] as const);

/** Makes every call of `operationId` in the emulator's default namespace fail with `status`. */
async function failing(emu: Emulator, operationId: string, status: 403 | 500) {
  const res = await call(emu, "PUT", "/_emulator/scenarios/active", {
    rules: [{ match: { operation: operationId }, outcome: { error: { status } } }],
  });
  expect(res.status, res.text).toBe(200);
}

describe("the message catalog", () => {
  it("has the three texts of every operation", () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...OPERATION_IDS].sort());
    for (const m of Object.values(MESSAGES)) for (const s of [401, 403, 500] as const) expect(m[s]).toMatch(/^[A-Z].+\.$/);
  });

  it("gives no two operations the same text (as the spec's examples)", () => {
    const texts = Object.values(MESSAGES).flatMap((m) => [m[401], m[403], m[500]]);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("marks as its own only the texts the spec has no example for", () => {
    const own = Object.entries(MESSAGES).flatMap(([id, m]) => (m.own ?? []).map((s) => `${id} ${s}`));
    expect(own.sort()).toEqual(
      [
        ...["createSchedule", "searchSchedules", "updateSchedule", "deleteSchedule"].flatMap((id) => [
          `${id} 401`,
          `${id} 403`,
          `${id} 500`,
        ]),
        "getCurrentUserInfo 403",
        "getCurrentUserToken 403",
        "logout 403",
        "searchOrgs 401",
        "searchOrgs 403",
        "searchOrgs 500",
        "validateToken 403",
      ].sort(),
    );
  });
});

describe("401 texts", () => {
  const protectedRows = rows.filter(([, e]) => e.access !== "public");

  it.each(protectedRows)("%s answers its catalog text without credentials", async (id, e) => {
    const emu = await emulator();
    const res = await call(emu, e.method, path(e.path), e.method === "POST" ? {} : undefined);
    expect(res.status, res.text).toBe(401);
    expect(errorCode(res.body)).toBe(CODES[401]);
    expect(debugText(res.body)).toBe(MESSAGES[id][401]);
  });

  it("logout without a session answers the spec's 'No active session found' text", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/session/logout");
    expect(debugText(res.body)).toBe("No active session found. User is not logged in.");
  });

  it("login with a wrong password answers the spec's login text", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/session/login", { username: "tsadmin", password: "wrong" });
    expect(res.status).toBe(401);
    expect(debugText(res.body)).toBe(MESSAGES.login[401]);
    expect(debugText(res.body)).toBe("Authentication failed. Verify that the username and password are correct.");
  });

  it("token/full with a wrong password answers the spec's credentials text", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { username: "tsadmin", password: "wrong" });
    expect(res.status).toBe(401);
    expect(debugText(res.body)).toBe(MESSAGES.getFullAccessToken[401]);
  });
});

describe("403 and 500 texts of scenario faults", () => {
  it.each(rows)("%s answers its catalog 403 text for a scenario's 403 without a message", async (id, e) => {
    const emu = await emulator();
    const token = await login(emu, "admin");
    await failing(emu, id, 403);
    const res = await call(emu, e.method, path(e.path), e.method === "POST" ? {} : undefined, { token });
    expect(res.status, res.text).toBe(403);
    expect(errorCode(res.body)).toBe(CODES[403]);
    expect(debugText(res.body)).toBe(MESSAGES[id][403]);
  });

  it.each(rows)("%s answers its catalog 500 text for a scenario's 500 without a message", async (id, e) => {
    const emu = await emulator();
    const token = await login(emu, "admin");
    await failing(emu, id, 500);
    const res = await call(emu, e.method, path(e.path), e.method === "POST" ? {} : undefined, { token });
    expect(res.status, res.text).toBe(500);
    expect(errorCode(res.body)).toBe(CODES[500]);
    expect(debugText(res.body)).toBe(MESSAGES[id][500]);
  });
});

describe("403 texts of missing privileges", () => {
  it.each([
    ["createWebhookConfiguration", "POST", "/webhooks/create", "analyst"],
    ["getWebhookStorageConfig", "GET", "/webhooks/storage-config", "appAdmin"],
    ["validateCommunicationChannel", "POST", "/system/communication-channels/validate", "analyst"],
    ["searchChannelHistory", "POST", "/jobs/history/communication-channels/search", "appAdmin"],
    ["searchOrgs", "POST", "/orgs/search", "developer"],
    ["getSystemInformation", "GET", "/system", "webhookManager"],
    ["searchCommunicationChannelPreferences", "POST", "/system/preferences/communication-channels/search", "analyst"],
  ] as const)("%s answers its catalog text to a user without the privilege", async (id, method, p, user) => {
    const emu = await emulator();
    const token = await login(emu, user);
    const res = await call(emu, method, p, method === "POST" ? {} : undefined, { token });
    expect(res.status, res.text).toBe(403);
    expect(debugText(res.body)).toBe(MESSAGES[id][403]);
  });
});
