import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { call, debugText, emulator, errorCode, login } from "../support/index.js";

const CONFIGURE = "/system/preferences/communication-channels/configure";
const SEARCH = "/system/preferences/communication-channels/search";

const PRIMARY = { id: "0", name: "Primary" };
const TEST_ORG = { id: "1532970882", name: "testOrg" };
const TEST_ORG1 = { id: "2100019165", name: "testOrg1" };

const webhookOnly = [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }];
const emailOnly = [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }];
const both = [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL", "WEBHOOK"] }];
const none = [{ event_type: "LIVEBOARD_SCHEDULE", channels: [] }];

async function search(emu: Emulator, token: string, body: unknown = {}, namespace?: string) {
  const res = await call(emu, "POST", SEARCH, body, { token, namespace });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function configure(emu: Emulator, token: string, body: unknown, namespace?: string) {
  const res = await call(emu, "POST", CONFIGURE, body, { token, namespace });
  expect(res.status, res.text).toBe(204);
  expect(res.text).toBe("");
}

describe("searching communication channel preferences", () => {
  it("lists an empty cluster value and every org with no preferences when nothing is configured", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const body = await search(emu, token);
    expect(body).toEqual({
      cluster_preferences: [],
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: [] },
      ],
    });
    expect(Object.keys(body)).toEqual(["cluster_preferences", "org_preferences"]);
    expect(Object.keys(body.org_preferences[0])).toEqual(["org", "preferences"]);
    expect(Object.keys(body.org_preferences[0].org)).toEqual(["id", "name"]);
  });

  it("prints org ids as numeric strings", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const body = await search(emu, token);
    for (const entry of body.org_preferences) {
      expect(typeof entry.org.id).toBe("string");
      expect(entry.org.id).toMatch(/^\d+$/);
    }
  });

  it("returns only the orgs named in org_preferences, by name or by id", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, { org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: webhookOnly }] });
    const body = await search(emu, token, { org_preferences: [{ org_identifier: "testOrg1" }, { org_identifier: "0" }] });
    expect(body).toEqual({
      cluster_preferences: [],
      org_preferences: [
        { org: TEST_ORG1, preferences: webhookOnly },
        { org: PRIMARY, preferences: [] },
      ],
    });
  });

  it("shows stored org overrides only, not merged with the cluster value", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, {
      cluster_preferences: emailOnly,
      org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: webhookOnly }],
    });
    expect(await search(emu, token)).toEqual({
      cluster_preferences: emailOnly,
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: webhookOnly },
      ],
    });
  });

  it("filters by event type at cluster and org level", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, {
      cluster_preferences: both,
      org_preferences: [{ org_identifier: "testOrg", preferences: webhookOnly }],
    });
    expect(await search(emu, token, { cluster_preferences: ["LIVEBOARD_SCHEDULE"] })).toEqual({
      cluster_preferences: both,
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: webhookOnly },
        { org: TEST_ORG1, preferences: [] },
      ],
    });
    expect(await search(emu, token, { org_preferences: [{ org_identifier: "testOrg", event_types: ["LIVEBOARD_SCHEDULE"] }] })).toEqual({
      cluster_preferences: both,
      org_preferences: [{ org: TEST_ORG, preferences: webhookOnly }],
    });
  });

  it("rejects an unknown event type in the search filter with a 400 naming the field", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", SEARCH, { cluster_preferences: ["USER_SIGNUP"] }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toContain("cluster_preferences");
  });

  it("rejects an unknown org in the search filter with 400 10002", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", SEARCH, { org_preferences: [{ org_identifier: "noSuchOrg" }] }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("org_identifier in org_preferences does not match a known org.");
  });
});

describe("configuring communication channel preferences", () => {
  it("replaces the cluster value on each cluster-level configure", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, { cluster_preferences: webhookOnly });
    expect((await search(emu, token)).cluster_preferences).toEqual(webhookOnly);
    await configure(emu, token, { cluster_preferences: both });
    expect((await search(emu, token)).cluster_preferences).toEqual(both);
    await configure(emu, token, { cluster_preferences: emailOnly });
    expect((await search(emu, token)).cluster_preferences).toEqual(emailOnly);
  });

  it("leaves the cluster value alone when only org preferences are configured", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, { cluster_preferences: both });
    await configure(emu, token, { org_preferences: [{ org_identifier: "testOrg", operation: "REPLACE", preferences: emailOnly }] });
    expect((await search(emu, token)).cluster_preferences).toEqual(both);
  });

  it("replaces an org's preferences identified by name", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, { org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: both }] });
    await configure(emu, token, { org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: webhookOnly }] });
    expect(await search(emu, token)).toEqual({
      cluster_preferences: [],
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: webhookOnly },
      ],
    });
  });

  it("replaces an org's preferences identified by id", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, { org_preferences: [{ org_identifier: "1532970882", operation: "REPLACE", preferences: emailOnly }] });
    await configure(emu, token, { org_preferences: [{ org_identifier: "0", operation: "REPLACE", preferences: webhookOnly }] });
    expect(await search(emu, token)).toEqual({
      cluster_preferences: [],
      org_preferences: [
        { org: PRIMARY, preferences: webhookOnly },
        { org: TEST_ORG, preferences: emailOnly },
        { org: TEST_ORG1, preferences: [] },
      ],
    });
  });

  it("treats a missing operation as REPLACE", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, { org_preferences: [{ org_identifier: "testOrg", preferences: both }] });
    expect(await search(emu, token, { org_preferences: [{ org_identifier: "testOrg" }] })).toEqual({
      cluster_preferences: [],
      org_preferences: [{ org: TEST_ORG, preferences: both }],
    });
  });

  it("stores an explicit empty channel list and returns it as []", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, {
      cluster_preferences: none,
      org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: none }],
    });
    expect(await search(emu, token)).toEqual({
      cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: [] }],
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: [] }] },
      ],
    });
  });

  it("removes the org override on RESET with reset_events so the org entry is back to []", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, {
      cluster_preferences: emailOnly,
      org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: webhookOnly }],
    });
    await configure(emu, token, {
      org_preferences: [{ org_identifier: "testOrg1", operation: "RESET", reset_events: ["LIVEBOARD_SCHEDULE"] }],
    });
    expect(await search(emu, token)).toEqual({
      cluster_preferences: emailOnly,
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: [] },
      ],
    });
  });

  it("rejects RESET without reset_events with 400 and changes nothing", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, { org_preferences: [{ org_identifier: "testOrg1", preferences: webhookOnly }] });
    const res = await call(emu, "POST", CONFIGURE, { org_preferences: [{ org_identifier: "testOrg1", operation: "RESET" }] }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("RESET operation requires reset_events to be specified.");
    expect((await search(emu, token, { org_preferences: [{ org_identifier: "testOrg1" }] })).org_preferences).toEqual([
      { org: TEST_ORG1, preferences: webhookOnly },
    ]);
  });

  it("rejects REPLACE without preferences with a 400 naming preferences", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", CONFIGURE, { org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE" }] }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toContain("preferences");
  });

  it("rejects an unknown org with 400 10002 and applies nothing from the same request", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(
      emu,
      "POST",
      CONFIGURE,
      {
        cluster_preferences: both,
        org_preferences: [
          { org_identifier: "testOrg", operation: "REPLACE", preferences: webhookOnly },
          { org_identifier: "noSuchOrg", operation: "REPLACE", preferences: emailOnly },
        ],
      },
      { token },
    );
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("org_identifier in org_preferences does not match a known org.");
    expect(await search(emu, token)).toEqual({
      cluster_preferences: [],
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: [] },
      ],
    });
  });

  it("rejects a channel outside the enum with a 400 naming the field", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(
      emu,
      "POST",
      CONFIGURE,
      { cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["SMS"] }] },
      { token },
    );
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toContain("channels");
    const org = await call(
      emu,
      "POST",
      CONFIGURE,
      { org_preferences: [{ org_identifier: "testOrg", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["SMS"] }] }] },
      { token },
    );
    expect(org.status).toBe(400);
    expect(debugText(org.body)).toContain("channels");
    expect((await search(emu, token)).cluster_preferences).toEqual([]);
  });

  it("ignores unknown body fields", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await configure(emu, token, {
      cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"], priority: 1 }],
      dry_run: true,
    });
    expect((await search(emu, token, { verbose: true })).cluster_preferences).toEqual(webhookOnly);
  });

  it("rejects an unknown operation with a 400 naming the field", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(
      emu,
      "POST",
      CONFIGURE,
      { org_preferences: [{ org_identifier: "testOrg", operation: "MERGE", preferences: both }] },
      { token },
    );
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toContain("operation");
  });
});

describe("who may configure and search preferences", () => {
  it("lets a developer configure org-level preferences and read them back without the cluster level", async () => {
    const emu = await emulator();
    const token = await login(emu, "developer");
    await configure(emu, token, { org_preferences: [{ org_identifier: "testOrg1", operation: "REPLACE", preferences: webhookOnly }] });
    expect(await search(emu, token, { org_preferences: [{ org_identifier: "testOrg1" }] })).toEqual({
      org_preferences: [{ org: TEST_ORG1, preferences: webhookOnly }],
    });
  });

  it("answers 403 10023 to a developer changing cluster preferences and changes nothing", async () => {
    const emu = await emulator();
    const token = await login(emu, "developer");
    const res = await call(
      emu,
      "POST",
      CONFIGURE,
      { cluster_preferences: webhookOnly, org_preferences: [{ org_identifier: "testOrg1", preferences: webhookOnly }] },
      { token },
    );
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe(10023);
    expect(debugText(res.body)).toBe("ADMINISTRATION privilege required to configure cluster-level communication channel preferences.");
    const admin = await login(emu);
    expect(await search(emu, admin)).toEqual({
      cluster_preferences: [],
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: [] },
      ],
    });
  });

  it("lets an application administrator configure org-level preferences and search them", async () => {
    const emu = await emulator();
    const token = await login(emu, "appAdmin");
    await configure(emu, token, { org_preferences: [{ org_identifier: "testOrg", operation: "REPLACE", preferences: both }] });
    expect(await search(emu, token, { org_preferences: [{ org_identifier: "testOrg" }] })).toEqual({
      org_preferences: [{ org: TEST_ORG, preferences: both }],
    });
  });

  it("answers the spec's 403 to an application administrator reading cluster-level preferences", async () => {
    const emu = await emulator();
    const token = await login(emu, "appAdmin");
    const res = await call(emu, "POST", SEARCH, { cluster_preferences: ["LIVEBOARD_SCHEDULE"] }, { token });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe(10023);
    expect(debugText(res.body)).toBe("ADMINISTRATION privilege required to retrieve cluster-level communication channel preferences.");
  });

  it("lists every org but leaves the cluster level out when an application administrator searches with an empty body", async () => {
    const emu = await emulator();
    const admin = await login(emu);
    await configure(emu, admin, { cluster_preferences: webhookOnly });
    const token = await login(emu, "appAdmin");
    expect(await search(emu, token, {})).toEqual({
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: [] },
      ],
    });
  });

  it("answers 403 to an application administrator changing cluster preferences (needs ADMINISTRATION)", async () => {
    const emu = await emulator();
    const token = await login(emu, "appAdmin");
    const res = await call(emu, "POST", CONFIGURE, { cluster_preferences: webhookOnly }, { token });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe(10023);
  });

  it("answers 403 10023 to an analyst on configure and on search", async () => {
    const emu = await emulator();
    const token = await login(emu, "analyst");
    const cfg = await call(emu, "POST", CONFIGURE, { org_preferences: [{ org_identifier: "testOrg", preferences: both }] }, { token });
    expect(cfg.status).toBe(403);
    expect(errorCode(cfg.body)).toBe(10023);
    expect(debugText(cfg.body)).toBe("ADMINISTRATION privilege required to configure cluster-level communication channel preferences.");
    const srch = await call(emu, "POST", SEARCH, {}, { token });
    expect(srch.status).toBe(403);
    expect(errorCode(srch.body)).toBe(10023);
    expect(debugText(srch.body)).toBe("ADMINISTRATION privilege required to retrieve cluster-level communication channel preferences.");
  });

  it("answers 403 to a webhook manager, whose privilege does not cover preferences", async () => {
    const emu = await emulator();
    const token = await login(emu, "webhookManager");
    const res = await call(emu, "POST", SEARCH, {}, { token });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe(10023);
  });

  it("answers 401 10097 without a token", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", SEARCH, {});
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe(10097);
    expect(debugText(res.body)).toBe("Authentication required to search communication channel preferences.");
  });
});

describe("preferences and namespaces", () => {
  it("keeps preferences configured in one namespace out of another", async () => {
    const emu = await emulator();
    const a = await login(emu, "admin", undefined, "a");
    const b = await login(emu, "admin", undefined, "b");
    await configure(
      emu,
      a,
      { cluster_preferences: webhookOnly, org_preferences: [{ org_identifier: "testOrg1", preferences: both }] },
      "a",
    );
    expect(await search(emu, a, {}, "a")).toEqual({
      cluster_preferences: webhookOnly,
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: both },
      ],
    });
    expect(await search(emu, b, {}, "b")).toEqual({
      cluster_preferences: [],
      org_preferences: [
        { org: PRIMARY, preferences: [] },
        { org: TEST_ORG, preferences: [] },
        { org: TEST_ORG1, preferences: [] },
      ],
    });
  });
});
