import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import {
  call,
  createWebhook,
  debugText,
  emulator,
  errorCode,
  FIXTURES,
  frozenClock,
  login,
  S3_DESTINATION,
  T0,
  userId,
  WEBHOOK,
  WEBHOOK_KEY_ORDER,
} from "../support/index.js";

const ADMIN = { id: userId("tsadmin"), name: "tsadmin" };
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TEST_ORG = 1532970882;
const NOT_FOUND = "Webhook with the specified identifier was not found.";

const SIGNATURE = { type: "HMAC_SHA256", header: "X-Signature", algorithm: "SHA256", secret: "sig-secret" };

async function search(emu: Emulator, token: string, body: Record<string, unknown> = {}) {
  const res = await call(emu, "POST", "/webhooks/search", body, { token });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** A webhook as stored in fixtures (full wire shape), in the Primary org. */
function fixtureWebhook(id: string, name: string, created: number, modified: number, status: "ENABLED" | "DISABLED") {
  return {
    id,
    name,
    description: null,
    org: { id: "0", name: "Primary" },
    url: `https://example.com/${name}`,
    url_params: null,
    events: ["LIVEBOARD_SCHEDULE"],
    authentication: { BEARER_TOKEN: `secret-${name}` },
    signature_verification: null,
    additional_headers: null,
    creation_time_in_millis: created,
    modification_time_in_millis: modified,
    created_by: ADMIN,
    last_modified_by: ADMIN,
    storage_destination: null,
    status,
  };
}

/** Three webhooks in Primary (as a pre-existing data set): Bravo oldest, Alpha newest; Charlie modified last. */
function threeWebhookFixtures() {
  return {
    ...structuredClone(FIXTURES),
    webhooks: [
      fixtureWebhook("11111111-1111-4111-8111-111111111111", "Bravo", T0 - 3000, T0 - 3000, "ENABLED"),
      fixtureWebhook("22222222-2222-4222-8222-222222222222", "Charlie", T0 - 2000, T0 - 100, "DISABLED"),
      fixtureWebhook("33333333-3333-4333-8333-333333333333", "Alpha", T0 - 1000, T0 - 1000, "ENABLED"),
    ],
  };
}

describe("POST /webhooks/create", () => {
  it("answers the full webhook with keys in the real cluster's order", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/create", WEBHOOK, { token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(WEBHOOK_KEY_ORDER);
  });

  it("prints unset optional keys as null, defaults status to ENABLED and stamps the caller", async () => {
    const emu = await emulator({ clock: frozenClock() });
    const token = await login(emu);
    const body = await createWebhook(emu, token);
    expect(body).toEqual({
      id: expect.stringMatching(UUID_V4),
      name: "Zapier",
      description: null,
      org: { id: "0", name: "Primary" },
      url: WEBHOOK.url,
      url_params: null,
      events: ["LIVEBOARD_SCHEDULE"],
      authentication: null,
      signature_verification: null,
      additional_headers: null,
      creation_time_in_millis: T0,
      modification_time_in_millis: T0,
      created_by: ADMIN,
      last_modified_by: expect.anything(),
      storage_destination: null,
      status: "ENABLED",
    });
  });

  it("keeps the key order when every optional field is set", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const body = await createWebhook(emu, token, {
      description: "d",
      url_params: { a: "1" },
      authentication: { BEARER_TOKEN: "t" },
      signature_verification: SIGNATURE,
      additional_headers: [{ key: "X-A", value: "b" }],
      storage_destination: S3_DESTINATION,
      status: "DISABLED",
    });
    expect(Object.keys(body)).toEqual(WEBHOOK_KEY_ORDER);
    expect(body.status).toBe("DISABLED");
    expect(body.description).toBe("d");
  });

  it("puts the webhook in the caller's org with a string org id", async () => {
    const emu = await emulator();
    const token = await login(emu, "developer", TEST_ORG);
    const body = await createWebhook(emu, token);
    expect(body.org).toEqual({ id: "1532970882", name: "testOrg" });
    expect(body.created_by).toEqual({ id: userId("developer"), name: "developer" });
  });

  it.each([
    ["BEARER_TOKEN", { BEARER_TOKEN: "very-secret-token" }, { BEARER_TOKEN: "***" }],
    ["API_KEY", { API_KEY: { key: "X-Api-Key", value: "very-secret-value" } }, { API_KEY: { key: "X-Api-Key", value: "***" } }],
    [
      "BASIC_AUTH",
      { BASIC_AUTH: { username: "bob", password: "very-secret-password" } },
      { BASIC_AUTH: { username: "bob", password: "***" } },
    ],
    [
      "OAUTH2",
      { OAUTH2: { authorization_url: "https://auth.example.com/token", client_id: "cid", client_secret: "very-secret-client" } },
      { OAUTH2: { authorization_url: "https://auth.example.com/token", client_id: "cid", client_secret: "***" } },
    ],
  ])("redacts the %s secret as *** in create, search, delete and /_emulator/state", async (_type, authentication, redacted) => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token, { authentication });
    expect(created.authentication).toEqual(redacted);
    expect(JSON.stringify(created)).not.toContain("very-secret");

    const found = await search(emu, token);
    expect(found.webhooks[0].authentication).toEqual(redacted);

    const state = await call(emu, "GET", "/_emulator/state");
    expect(state.status).toBe(200);
    expect(state.body.webhooks[0].authentication).toEqual(redacted);
    expect(state.text).not.toContain("very-secret");

    const del = await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: [created.id] }, { token });
    expect(del.status).toBe(200);
    expect(del.body.deleted_webhooks[0].authentication).toEqual(redacted);
    expect(del.text).not.toContain("very-secret");
  });

  it("redacts signature_verification.secret everywhere and keeps the rest of the section", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const redacted = { ...SIGNATURE, secret: "***" };
    const created = await createWebhook(emu, token, { signature_verification: SIGNATURE });
    expect(created.signature_verification).toEqual(redacted);
    expect((await search(emu, token)).webhooks[0].signature_verification).toEqual(redacted);
    const state = await call(emu, "GET", "/_emulator/state");
    expect(state.body.webhooks[0].signature_verification).toEqual(redacted);
    expect(state.text).not.toContain("sig-secret");
    const del = await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: ["Zapier"] }, { token });
    expect(del.body.deleted_webhooks[0].signature_verification).toEqual(redacted);
  });

  it("does not redact url_params, additional_headers or storage settings", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const url_params = { token: "query-secret", env: "prod" };
    const additional_headers = [{ key: "X-Secret", value: "header-secret" }];
    const storage_destination = {
      storage_type: "AWS_S3",
      storage_config: {
        aws_s3_config: { ...S3_DESTINATION.storage_config.aws_s3_config, external_id: "my-external-id", path_prefix: "reports/" },
      },
    };
    const created = await createWebhook(emu, token, { url_params, additional_headers, storage_destination });
    expect(created.url_params).toEqual(url_params);
    expect(created.additional_headers).toEqual(additional_headers);
    expect(created.storage_destination).toEqual(storage_destination);
    const found = (await search(emu, token)).webhooks[0];
    expect(found.url_params).toEqual(url_params);
    expect(found.additional_headers).toEqual(additional_headers);
    expect(found.storage_destination).toEqual(storage_destination);
  });

  it("defaults the S3 external_id to the ts-webhook-<random> value that storage-config shows", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token, { storage_destination: S3_DESTINATION });
    const s3 = created.storage_destination.storage_config.aws_s3_config;
    expect(s3).toEqual({
      ...S3_DESTINATION.storage_config.aws_s3_config,
      external_id: expect.stringMatching(/^ts-webhook-.+/),
      path_prefix: null,
    });
    const cfg = await call(emu, "GET", "/webhooks/storage-config", undefined, { token });
    expect(cfg.status).toBe(200);
    expect(cfg.body[0].config.trust_policy_template.Statement[0].Condition.StringEquals["sts:ExternalId"]).toBe(s3.external_id);
  });

  it("uses the external_id shown by storage-config before the webhook existed", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const cfg = await call(emu, "GET", "/webhooks/storage-config", undefined, { token });
    const externalId = cfg.body[0].config.trust_policy_template.Statement[0].Condition.StringEquals["sts:ExternalId"];
    const created = await createWebhook(emu, token, { storage_destination: S3_DESTINATION });
    expect(created.storage_destination.storage_config.aws_s3_config.external_id).toBe(externalId);
  });

  it("answers 400 when events is empty", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/create", { ...WEBHOOK, events: [] }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("At least one event type must be specified in the events field.");
  });

  it("refuses a second LIVEBOARD_SCHEDULE webhook in the same org with 400 code 10002", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await createWebhook(emu, token);
    const res = await call(emu, "POST", "/webhooks/create", { ...WEBHOOK, name: "Another" }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toMatch(/LIVEBOARD_SCHEDULE/);
    expect((await search(emu, token)).pagination.total_count).toBe(1);
  });

  it("allows a LIVEBOARD_SCHEDULE webhook in another org", async () => {
    const emu = await emulator();
    await createWebhook(emu, await login(emu));
    const other = await login(emu, "admin", TEST_ORG);
    const body = await createWebhook(emu, other);
    expect(body.org).toEqual({ id: "1532970882", name: "testOrg" });
  });
});

describe("POST /webhooks/search", () => {
  it("lists the webhooks of every org the caller belongs to, newest first, when org_identifier is left out", async () => {
    const clock = frozenClock();
    const emu = await emulator({ clock });
    const token = await login(emu);
    const inPrimary = await createWebhook(emu, token);
    clock.advance(1000);
    const inTestOrg = await createWebhook(emu, await login(emu, "admin", TEST_ORG), { name: "Other org" });
    const res = await call(emu, "POST", "/webhooks/search", {}, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      webhooks: [inTestOrg, inPrimary],
      pagination: { record_offset: 0, record_size: 50, total_count: 2, has_more: false },
    });
  });

  it("does not list the webhooks of an org the caller does not belong to, and answers 13090 when org_identifier names it", async () => {
    const fixtures = structuredClone(FIXTURES);
    fixtures.users.find((u: any) => u.name === "developer").orgs = ["0"];
    const emu = await emulator({ fixtures });
    const inPrimary = await createWebhook(emu, await login(emu));
    const inTestOrg = await createWebhook(emu, await login(emu, "admin", TEST_ORG), { name: "Other org" });
    const dev = await login(emu, "developer");
    expect((await search(emu, dev)).webhooks).toEqual([inPrimary]);
    const denied = await call(emu, "POST", "/webhooks/search", { org_identifier: "testOrg" }, { token: dev });
    expect(denied.status).toBe(400);
    expect(errorCode(denied.body)).toBe(13090);
    expect(debugText(denied.body)).toBe(`User developer do not have access to org ${TEST_ORG}`);
    expect((await search(emu, dev, { webhook_identifier: inTestOrg.id })).webhooks).toEqual([]);
    expect((await search(emu, await login(emu), { org_identifier: "testOrg" })).webhooks).toEqual([inTestOrg]);
  });

  it("answers 400 for an org_identifier that names no org", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/webhooks/search", { org_identifier: "noSuchOrg" }, { token: await login(emu) });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("org_identifier does not match a known org.");
  });

  it("sorts by CREATED DESC by default", async () => {
    const emu = await emulator({ fixtures: threeWebhookFixtures() });
    const token = await login(emu);
    const res = await search(emu, token);
    expect(res.webhooks.map((w: any) => w.name)).toEqual(["Alpha", "Charlie", "Bravo"]);
    expect(res.pagination).toEqual({ record_offset: 0, record_size: 50, total_count: 3, has_more: false });
    for (const w of res.webhooks) expect(w.authentication).toEqual({ BEARER_TOKEN: "***" });
  });

  it("sorts by NAME ASC, CREATED ASC and MODIFIED DESC on request", async () => {
    const emu = await emulator({ fixtures: threeWebhookFixtures() });
    const token = await login(emu);
    const names = async (sort_options: object) => (await search(emu, token, { sort_options })).webhooks.map((w: any) => w.name);
    expect(await names({ field_name: "NAME", order: "ASC" })).toEqual(["Alpha", "Bravo", "Charlie"]);
    expect(await names({ field_name: "NAME", order: "DESC" })).toEqual(["Charlie", "Bravo", "Alpha"]);
    expect(await names({ field_name: "CREATED", order: "ASC" })).toEqual(["Bravo", "Charlie", "Alpha"]);
    expect(await names({ field_name: "MODIFIED", order: "DESC" })).toEqual(["Charlie", "Alpha", "Bravo"]);
  });

  it("pages with record_offset and record_size, reporting total_count and has_more", async () => {
    const emu = await emulator({ fixtures: threeWebhookFixtures() });
    const token = await login(emu);
    const pages = [];
    for (const record_offset of [0, 1, 2, 3]) pages.push(await search(emu, token, { record_offset, record_size: 1 }));
    expect(pages.map((p) => p.webhooks.map((w: any) => w.name))).toEqual([["Alpha"], ["Charlie"], ["Bravo"], []]);
    expect(pages.map((p) => p.pagination)).toEqual([
      { record_offset: 0, record_size: 1, total_count: 3, has_more: true },
      { record_offset: 1, record_size: 1, total_count: 3, has_more: true },
      { record_offset: 2, record_size: 1, total_count: 3, has_more: false },
      { record_offset: 3, record_size: 1, total_count: 3, has_more: false },
    ]);
  });

  it("filters by status before paging", async () => {
    const emu = await emulator({ fixtures: threeWebhookFixtures() });
    const token = await login(emu);
    const enabled = await search(emu, token, { status: "ENABLED", record_size: 1 });
    expect(enabled.webhooks.map((w: any) => w.name)).toEqual(["Alpha"]);
    expect(enabled.pagination).toEqual({ record_offset: 0, record_size: 1, total_count: 2, has_more: true });
    const disabled = await search(emu, token, { status: "DISABLED" });
    expect(disabled.webhooks.map((w: any) => w.name)).toEqual(["Charlie"]);
    expect(disabled.pagination.total_count).toBe(1);
  });

  it("pages over an org filter and a status filter with record_size 1", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await createWebhook(emu, token, { name: "Primary hook" });
    const inTestOrg = await createWebhook(emu, await login(emu, "admin", TEST_ORG), { name: "TestOrg hook", status: "DISABLED" });
    const byOrg = await search(emu, token, { org_identifier: "testOrg", record_size: 1 });
    expect(byOrg).toEqual({
      webhooks: [inTestOrg],
      pagination: { record_offset: 0, record_size: 1, total_count: 1, has_more: false },
    });
    const disabled = await search(emu, token, { org_identifier: "testOrg", status: "DISABLED", record_size: 1 });
    expect(disabled.webhooks.map((w: any) => w.id)).toEqual([inTestOrg.id]);
    const enabled = await search(emu, token, { org_identifier: "testOrg", status: "ENABLED", record_size: 1 });
    expect(enabled).toEqual({ webhooks: [], pagination: { record_offset: 0, record_size: 1, total_count: 0, has_more: false } });
    const primaryEnabled = await search(emu, token, { status: "ENABLED", record_size: 1 });
    expect(primaryEnabled.webhooks.map((w: any) => w.name)).toEqual(["Primary hook"]);
    expect(primaryEnabled.pagination).toEqual({ record_offset: 0, record_size: 1, total_count: 1, has_more: false });
  });

  it("finds a webhook by id or by name with webhook_identifier", async () => {
    const emu = await emulator({ fixtures: threeWebhookFixtures() });
    const token = await login(emu);
    const byId = await search(emu, token, { webhook_identifier: "22222222-2222-4222-8222-222222222222" });
    expect(byId.webhooks.map((w: any) => w.name)).toEqual(["Charlie"]);
    const byName = await search(emu, token, { webhook_identifier: "Bravo" });
    expect(byName.webhooks.map((w: any) => w.id)).toEqual(["11111111-1111-4111-8111-111111111111"]);
    const none = await search(emu, token, { webhook_identifier: "nope" });
    expect(none.webhooks).toEqual([]);
    expect(none.pagination.total_count).toBe(0);
  });

  it("finds another org's webhooks with org_identifier by name or id", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const other = await createWebhook(emu, await login(emu, "admin", TEST_ORG), { name: "In testOrg" });
    expect((await search(emu, token, { org_identifier: "testOrg" })).webhooks).toEqual([other]);
    expect((await search(emu, token, { org_identifier: "1532970882" })).webhooks).toEqual([other]);
    expect((await search(emu, token, { org_identifier: "Primary" })).webhooks).toEqual([]);
  });

  it.each([0, -1])("answers 400 for record_size %i", async (record_size) => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/search", { record_size }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("record_size must be a positive integer.");
  });
});

describe("many webhooks per org (--webhooks-per-org many)", () => {
  const ORG_IDS = { Primary: 0, testOrg: TEST_ORG, testOrg1: 2100019165 } as const;
  /** Creation order; NAME order and MODIFIED order differ from it on purpose. */
  const PLAN = [
    ["Primary", "Orders"],
    ["testOrg", "alerts"],
    ["testOrg1", "Zapier"],
    ["Primary", "Billing"],
    ["testOrg", "Make"],
    ["testOrg1", "ingest"],
    ["Primary", "Finance"],
    ["testOrg", "Churn"],
  ] as const;

  /** Eight webhooks in three orgs, one a second apart; then Orders, ingest and Zapier are updated in that order. */
  async function eightWebhooks() {
    const clock = frozenClock();
    const emu = await emulator({ clock, webhooksPerOrg: "many" });
    const tokens: Record<string, string> = {};
    for (const [org, id] of Object.entries(ORG_IDS)) tokens[org] = await login(emu, "admin", id);
    for (const [org, name] of PLAN) {
      await createWebhook(emu, tokens[org], { name });
      clock.advance(1000);
    }
    clock.set(T0 + 10_000);
    for (const [org, name] of [
      ["Primary", "Orders"],
      ["testOrg1", "ingest"],
      ["testOrg1", "Zapier"],
    ]) {
      const res = await call(emu, "POST", `/webhooks/${name}/update`, { description: "touched" }, { token: tokens[org] });
      expect(res.status, res.text).toBe(204);
      clock.advance(1000);
    }
    return { emu, token: tokens.Primary };
  }

  it("creates a second LIVEBOARD_SCHEDULE webhook in the same org, names staying unique within it", async () => {
    const emu = await emulator({ webhooksPerOrg: "many" });
    const token = await login(emu);
    await createWebhook(emu, token);
    const second = await createWebhook(emu, token, { name: "Another" });
    expect(second.org).toEqual({ id: "0", name: "Primary" });
    const clash = await call(emu, "POST", "/webhooks/create", { ...WEBHOOK, url: "https://example.com/x" }, { token });
    expect(clash.status).toBe(400);
    expect(debugText(clash.body)).toBe("A webhook with the name 'Zapier' already exists in this org.");
    expect((await search(emu, token)).webhooks.map((w: any) => w.name)).toEqual(["Another", "Zapier"]);
    const rename = await call(emu, "POST", "/webhooks/Another/update", { name: "Zapier" }, { token });
    expect(rename.status).toBe(400);
  });

  it.each([
    ["CREATED", "DESC", ["Churn", "Finance", "ingest", "Make", "Billing", "Zapier", "alerts", "Orders"]],
    ["CREATED", "ASC", ["Orders", "alerts", "Zapier", "Billing", "Make", "ingest", "Finance", "Churn"]],
    ["NAME", "ASC", ["alerts", "Billing", "Churn", "Finance", "ingest", "Make", "Orders", "Zapier"]],
    ["NAME", "DESC", ["Zapier", "Orders", "Make", "ingest", "Finance", "Churn", "Billing", "alerts"]],
    ["MODIFIED", "ASC", ["alerts", "Billing", "Make", "Finance", "Churn", "Orders", "ingest", "Zapier"]],
    ["MODIFIED", "DESC", ["Zapier", "ingest", "Orders", "Churn", "Finance", "Make", "Billing", "alerts"]],
  ])("pages through eight webhooks of three orgs sorted by %s %s, three at a time", async (field_name, order, expected) => {
    const { emu, token } = await eightWebhooks();
    const pages = [];
    for (const record_offset of [0, 3, 6, 8]) {
      pages.push(await search(emu, token, { record_offset, record_size: 3, sort_options: { field_name, order } }));
    }
    expect(pages.map((p) => p.webhooks.map((w: any) => w.name))).toEqual([
      expected.slice(0, 3),
      expected.slice(3, 6),
      expected.slice(6),
      [],
    ]);
    expect(pages.map((p) => p.pagination)).toEqual([
      { record_offset: 0, record_size: 3, total_count: 8, has_more: true },
      { record_offset: 3, record_size: 3, total_count: 8, has_more: true },
      { record_offset: 6, record_size: 3, total_count: 8, has_more: false },
      { record_offset: 8, record_size: 3, total_count: 8, has_more: false },
    ]);
    const all = (await search(emu, token, { sort_options: { field_name, order } })).webhooks;
    expect(pages.flatMap((p) => p.webhooks)).toEqual(all);
    const orgOf = Object.fromEntries(PLAN.map(([org, name]) => [name, org]));
    for (const w of all) expect(w.org.name).toBe(orgOf[w.name]);
  });

  it("sorts by CREATED DESC when sort_options leaves field_name and order out or null", async () => {
    const { emu, token } = await eightWebhooks();
    const byDefault = (await search(emu, token)).webhooks.map((w: any) => w.name);
    expect(byDefault).toEqual(["Churn", "Finance", "ingest", "Make", "Billing", "Zapier", "alerts", "Orders"]);
    expect((await search(emu, token, { sort_options: {} })).webhooks.map((w: any) => w.name)).toEqual(byDefault);
    const nulls = await search(emu, token, { sort_options: { field_name: null, order: null } });
    expect(nulls.webhooks.map((w: any) => w.name)).toEqual(byDefault);
  });

  it("pages within one org with org_identifier, and over a filtered set with status", async () => {
    const { emu, token } = await eightWebhooks();
    const first = await search(emu, token, { org_identifier: "testOrg", record_size: 2 });
    const second = await search(emu, token, { org_identifier: "testOrg", record_size: 2, record_offset: 2 });
    expect([first, second].map((p) => p.webhooks.map((w: any) => w.name))).toEqual([["Churn", "Make"], ["alerts"]]);
    expect([first, second].map((p) => p.pagination)).toEqual([
      { record_offset: 0, record_size: 2, total_count: 3, has_more: true },
      { record_offset: 2, record_size: 2, total_count: 3, has_more: false },
    ]);
    await call(emu, "POST", "/webhooks/Billing/update", { status: "DISABLED" }, { token });
    const enabled = await search(emu, token, { status: "ENABLED", record_size: 5, sort_options: { field_name: "NAME", order: "ASC" } });
    expect(enabled.webhooks.map((w: any) => w.name)).toEqual(["alerts", "Churn", "Finance", "ingest", "Make"]);
    expect(enabled.pagination).toEqual({ record_offset: 0, record_size: 5, total_count: 7, has_more: true });
  });

  it("keeps webhooks created in the same millisecond in creation order, reversed for DESC", async () => {
    const emu = await emulator({ clock: frozenClock(), webhooksPerOrg: "many" });
    const token = await login(emu);
    for (const name of ["First", "Second", "Third"]) await createWebhook(emu, token, { name });
    const names = async (order: string) =>
      (await search(emu, token, { sort_options: { field_name: "CREATED", order } })).webhooks.map((w: any) => w.name);
    expect(await names("ASC")).toEqual(["First", "Second", "Third"]);
    expect(await names("DESC")).toEqual(["Third", "Second", "First"]);
    const paged = [];
    for (const record_offset of [0, 1, 2]) paged.push(...(await search(emu, token, { record_offset, record_size: 1 })).webhooks);
    expect(paged.map((w: any) => w.name)).toEqual(["Third", "Second", "First"]);
  });

  it("finds a name taken in two orgs in both, and an id in its one org", async () => {
    const clock = frozenClock();
    const emu = await emulator({ clock });
    const token = await login(emu);
    const a = await createWebhook(emu, token, { name: "Shared" });
    clock.advance(1);
    const b = await createWebhook(emu, await login(emu, "admin", TEST_ORG), { name: "Shared" });
    expect((await search(emu, token, { webhook_identifier: "Shared" })).webhooks).toEqual([b, a]);
    expect((await search(emu, token, { webhook_identifier: a.id })).webhooks).toEqual([a]);
    expect((await search(emu, token, { webhook_identifier: "Shared", org_identifier: "testOrg" })).webhooks).toEqual([b]);
  });
});

describe("POST /webhooks/{webhook_identifier}/update", () => {
  it("answers 204 with no body and changes only the given fields", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token, {
      description: "before",
      authentication: { BEARER_TOKEN: "t" },
      additional_headers: [{ key: "X-A", value: "1" }],
    });
    const res = await call(
      emu,
      "POST",
      `/webhooks/${created.id}/update`,
      { description: "after", url: "https://example.com/new" },
      { token },
    );
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    const [found] = (await search(emu, token)).webhooks;
    expect(found).toEqual({
      ...created,
      description: "after",
      url: "https://example.com/new",
      modification_time_in_millis: expect.any(Number),
      last_modified_by: ADMIN,
    });
  });

  it("bumps modification_time_in_millis and sets last_modified_by to the updater", async () => {
    const clock = frozenClock();
    const emu = await emulator({ clock });
    const created = await createWebhook(emu, await login(emu, "admin"));
    clock.advance(5_000);
    const dev = await login(emu, "developer");
    const res = await call(emu, "POST", `/webhooks/${created.id}/update`, { status: "DISABLED" }, { token: dev });
    expect(res.status).toBe(204);
    const [found] = (await search(emu, dev)).webhooks;
    expect(found.creation_time_in_millis).toBe(T0);
    expect(found.modification_time_in_millis).toBe(T0 + 5_000);
    expect(found.created_by).toEqual(ADMIN);
    expect(found.last_modified_by).toEqual({ id: userId("developer"), name: "developer" });
    expect(found.status).toBe("DISABLED");
  });

  it("addresses the webhook by name too", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await createWebhook(emu, token);
    const res = await call(emu, "POST", "/webhooks/Zapier/update", { name: "Renamed" }, { token });
    expect(res.status).toBe(204);
    expect((await search(emu, token)).webhooks.map((w: any) => w.name)).toEqual(["Renamed"]);
  });

  it("clears authentication to null with reset_options AUTHENTICATION and keeps the rest", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token, { authentication: { BEARER_TOKEN: "t" }, signature_verification: SIGNATURE });
    const res = await call(emu, "POST", `/webhooks/${created.id}/update`, { reset_options: ["AUTHENTICATION"] }, { token });
    expect(res.status).toBe(204);
    const [found] = (await search(emu, token)).webhooks;
    expect(found.authentication).toBeNull();
    expect(found.signature_verification).toEqual({ ...SIGNATURE, secret: "***" });
    expect(found.url).toBe(WEBHOOK.url);
  });

  it.each([
    ["SIGNATURE_VERIFICATION", "signature_verification"],
    ["STORAGE_DESTINATION", "storage_destination"],
  ])("clears the section with reset_options %s", async (option, key) => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token, {
      authentication: { BEARER_TOKEN: "t" },
      signature_verification: SIGNATURE,
      storage_destination: S3_DESTINATION,
    });
    const res = await call(emu, "POST", `/webhooks/${created.id}/update`, { reset_options: [option] }, { token });
    expect(res.status).toBe(204);
    const [found] = (await search(emu, token)).webhooks;
    expect(found[key]).toBeNull();
    expect(found.authentication).toEqual({ BEARER_TOKEN: "***" });
    const other = key === "storage_destination" ? "signature_verification" : "storage_destination";
    expect(found[other]).toEqual(created[other]);
  });

  it("keeps a secret that the update does not mention", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token, { authentication: { BASIC_AUTH: { username: "bob", password: "pw" } } });
    await call(emu, "POST", `/webhooks/${created.id}/update`, { description: "changed" }, { token });
    const state = await call(emu, "GET", "/_emulator/state");
    expect(state.body.webhooks[0].authentication).toEqual({ BASIC_AUTH: { username: "bob", password: "***" } });
    expect(state.body.webhooks[0].description).toBe("changed");
  });

  it("answers 400 when the update empties events", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token);
    const res = await call(emu, "POST", `/webhooks/${created.id}/update`, { events: [] }, { token });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toBe("At least one event type must be specified in the events field.");
    expect((await search(emu, token)).webhooks[0].events).toEqual(["LIVEBOARD_SCHEDULE"]);
  });

  it("does not reach a webhook of another org", async () => {
    const emu = await emulator();
    const other = await createWebhook(emu, await login(emu, "admin", TEST_ORG));
    const res = await call(emu, "POST", `/webhooks/${other.id}/update`, { description: "x" }, { token: await login(emu) });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toBe(NOT_FOUND);
  });

  it("answers 400 for an unknown webhook", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/does-not-exist/update", { description: "x" }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe(NOT_FOUND);
  });
});

describe("POST /webhooks/delete", () => {
  it("answers 200 with deleted and failed webhooks, echoing an unknown identifier as id and name", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const created = await createWebhook(emu, token, { authentication: { BEARER_TOKEN: "t" } });
    const res = await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: [created.id, "ghost"] }, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      deleted_count: 1,
      failed_count: 1,
      deleted_webhooks: [created],
      failed_webhooks: [{ id: "ghost", name: "ghost", error: "Webhook not found or access denied" }],
    });
    expect(res.body.deleted_webhooks[0].authentication).toEqual({ BEARER_TOKEN: "***" });
    expect((await search(emu, token)).webhooks).toEqual([]);
  });

  it("deletes by name and answers 200 when every identifier failed", async () => {
    const emu = await emulator();
    const token = await login(emu);
    await createWebhook(emu, token);
    const ok = await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: ["Zapier"] }, { token });
    expect(ok.body.deleted_count).toBe(1);
    expect(ok.body.deleted_webhooks.map((w: any) => w.name)).toEqual(["Zapier"]);
    const again = await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: ["Zapier"] }, { token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      deleted_count: 0,
      failed_count: 1,
      deleted_webhooks: [],
      failed_webhooks: [{ id: "Zapier", name: "Zapier", error: "Webhook not found or access denied" }],
    });
  });

  it("does not delete a webhook of another org, reporting it as failed", async () => {
    const emu = await emulator();
    const otherToken = await login(emu, "admin", TEST_ORG);
    const other = await createWebhook(emu, otherToken);
    const res = await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: [other.id] }, { token: await login(emu) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      deleted_count: 0,
      failed_count: 1,
      deleted_webhooks: [],
      failed_webhooks: [{ id: other.id, name: other.id, error: "Webhook not found or access denied" }],
    });
    expect((await search(emu, otherToken)).webhooks).toEqual([other]);
  });

  it("answers 400 for an empty webhook_identifiers list", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: [] }, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("webhook_identifiers must contain at least one identifier.");
  });
});

describe("GET /webhooks/storage-config", () => {
  it("answers a top-level array with the AWS trust policy template", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await call(emu, "GET", "/webhooks/storage-config", undefined, { token });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(1);
    const [entry] = res.body;
    expect(entry).toEqual({
      storage_type: "OBJECT_STORAGE",
      provider: "AWS_S3",
      config: {
        config_type: "AWS_TO_S3_STORAGE",
        aws_account_id: expect.stringMatching(/^\d{12}$/),
        trust_policy_template: {
          Version: expect.any(String),
          Statement: [
            {
              Effect: expect.any(String),
              Principal: { AWS: `arn:aws:iam::${entry.config.aws_account_id}:root` },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "sts:ExternalId": expect.stringMatching(/^ts-webhook-.+/) } },
            },
          ],
        },
        setup_instructions: expect.any(Array),
      },
    });
    expect(entry.config.setup_instructions.length).toBeGreaterThan(0);
    for (const s of entry.config.setup_instructions) expect(typeof s).toBe("string");
  });

  it("is stable across calls", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const a = await call(emu, "GET", "/webhooks/storage-config", undefined, { token });
    const b = await call(emu, "GET", "/webhooks/storage-config", undefined, { token: await login(emu, "developer") });
    expect(b.body).toEqual(a.body);
  });
});
