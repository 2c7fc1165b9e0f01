/**
 * Contract tests: the official client `@thoughtspot/rest-api-sdk` drives a running emulator over a
 * real port, and every raw response is checked against the SDK model the SDK method returns
 * (see model-check.ts) plus the values docs/decisions.md fixes.
 */

import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CreateWebhookConfigurationRequest, GetFullAccessTokenRequest } from "@thoughtspot/rest-api-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/index.js";
import { startReceiver, WEBHOOK_KEY_ORDER } from "../support/index.js";
import { checkModel, sdkEnum } from "./model-check.js";
import { apiException, type Client, type Credentials, expectEnvelope, sdkClient, UUID, UUID_V4 } from "./sdk-client.js";

const ADMIN_ID = "59481331-ee53-42be-a548-bd87be6ddd4a";
const TEST_ORG1 = { id: "2100019165", name: "testOrg1" };
const ADMIN: GetFullAccessTokenRequest = { username: "tsadmin", password: "admin", org_id: 2100019165 };
const ROLE_ARN = "arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole";
const ASSUME_ROLE_SCENARIO = fileURLToPath(new URL("../../scenarios/aws-assume-role-denied.json", import.meta.url));

let emu: RunningEmulator;
let namespaces = 0;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 7, log: () => {} });
});

afterAll(async () => {
  await emu?.stop();
});

/** A fresh namespace per test keeps tests independent (one LIVEBOARD_SCHEDULE webhook per org). */
function namespace(label: string): string {
  return `sdk-${label}-${++namespaces}`;
}

function client(ns: string, auth: Credentials | null = ADMIN, headers?: Record<string, string>): Client {
  return sdkClient(emu.url, { auth, namespace: ns, headers });
}

const S3 = {
  storage_type: "AWS_S3" as const,
  storage_config: {
    aws_s3_config: {
      bucket_name: "my-webhook-files",
      region: "us-east-1",
      role_arn: ROLE_ARN,
      external_id: "ts-webhook-3f9a1c",
      path_prefix: "webhooks/reports",
    },
  },
};

const SIGNATURE = { type: "HMAC_SHA256" as const, header: "X-Signature", algorithm: "SHA256" as const, secret: "sig-secret-123" };

function webhookRequest(extra: Partial<CreateWebhookConfigurationRequest> = {}): CreateWebhookConfigurationRequest {
  return {
    name: "Zapier",
    description: "Liveboard schedule deliveries",
    url: "https://hooks.zapier.com/hooks/catch/123/abc",
    url_params: { team: "ops", env: "dev" },
    events: ["LIVEBOARD_SCHEDULE"],
    signature_verification: SIGNATURE,
    storage_destination: S3,
    additional_headers: [{ key: "X-Team", value: "analytics" }],
    ...extra,
  };
}

/** Drops null members (the contract prints unset optional keys as null). */
function withoutNulls(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null | undefined {
  if (!value) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

const AUTH_KINDS = [
  {
    kind: "API_KEY",
    input: { API_KEY: { key: "X-Api-Key", value: "api-key-secret-1" } },
    redacted: { API_KEY: { key: "X-Api-Key", value: "***" } },
    secrets: ["api-key-secret-1"],
  },
  {
    kind: "BASIC_AUTH",
    input: { BASIC_AUTH: { username: "svc-user", password: "basic-secret-2" } },
    redacted: { BASIC_AUTH: { username: "svc-user", password: "***" } },
    secrets: ["basic-secret-2"],
  },
  {
    kind: "BEARER_TOKEN",
    input: { BEARER_TOKEN: "bearer-secret-3" },
    redacted: { BEARER_TOKEN: "***" },
    secrets: ["bearer-secret-3"],
  },
  {
    kind: "OAUTH2",
    input: {
      OAUTH2: { authorization_url: "https://auth.example.com/oauth/token", client_id: "client-42", client_secret: "oauth-secret-4" },
    },
    redacted: { OAUTH2: { authorization_url: "https://auth.example.com/oauth/token", client_id: "client-42", client_secret: "***" } },
    secrets: ["oauth-secret-4"],
  },
] as const;

describe("auth through the official client", () => {
  it("issues a full access token whose raw body is a Token with the requested org", async () => {
    const c = client(namespace("token"), null);
    const token = await c.api.getFullAccessToken(ADMIN);
    const raw = c.last();
    expect(raw.status).toBe(200);
    expect(checkModel(raw.json, "Token")).toEqual([]);
    expect(raw.json).toEqual({
      token: expect.any(String),
      creation_time_in_millis: expect.any(Number),
      expiration_time_in_millis: raw.json.creation_time_in_millis + 300_000,
      scope: { access_type: "FULL", org_id: 2100019165, metadata_id: null },
      valid_for_user_id: ADMIN_ID,
      valid_for_username: "tsadmin",
    });
    // Opaque base64, not a JWT.
    expect(raw.json.token).toMatch(/^[A-Za-z0-9+/=_-]+$/);
    expect(raw.json.token.split(".")).toHaveLength(1);
    expect(token.token).toBe(raw.json.token);
  });

  it("validates a token, revokes it, and then refuses it with 401", async () => {
    const ns = namespace("revoke");
    const issued = await client(ns, null).api.getFullAccessToken(ADMIN);
    const c = client(ns, async () => issued.token);

    const validation = await c.api.validateToken({ token: issued.token });
    expect(checkModel(c.last().json, "TokenValidationResponse")).toEqual([]);
    expect(c.last().json).toMatchObject({
      creation_time_in_millis: issued.creation_time_in_millis,
      expiration_time_in_millis: issued.expiration_time_in_millis,
      scope: { access_type: "FULL", org_id: 2100019165 },
      valid_for_user_id: ADMIN_ID,
      token_type: "BEARER",
    });
    expect(validation.valid_for_user_id).toBe(ADMIN_ID);

    await c.api.revokeToken({ token: issued.token });
    expect(c.last().status).toBe(204);
    expect(c.last().text).toBe("");

    const err = await apiException(c.api.getCurrentUserInfo());
    expectEnvelope(err, c.last(), 401, 10097);
  });

  it("rejects a wrong password on getFullAccessToken with 401 and the credentials message", async () => {
    const c = client(namespace("badpw"), null);
    const err = await apiException(c.api.getFullAccessToken({ username: "tsadmin", password: "wrong" }));
    const messages = expectEnvelope(err, c.last(), 401, 10097);
    expect(messages).toContain("Invalid credentials. The provided secret key or password is incorrect.");
  });

  it("logs in with a session cookie, reads the current user, and logs out", async () => {
    const ns = namespace("session");
    const anon = client(ns, null);
    await anon.api.login({ username: "tsadmin", password: "admin", org_identifier: "testOrg1" });
    const login = anon.last();
    expect(login.status).toBe(204);
    expect(login.text).toBe("");
    const cookie = /^JSESSIONID=([^;]+); Path=\/; HttpOnly$/.exec(login.headers["set-cookie"] ?? "");
    expect(cookie, `Set-Cookie: ${login.headers["set-cookie"]}`).not.toBeNull();
    expect(cookie![1]).toMatch(UUID);

    const session = client(ns, null, { Cookie: `JSESSIONID=${cookie![1]}` });
    const user = await session.api.getCurrentUserInfo();
    const raw = session.last();
    expect(checkModel(raw.json, "User")).toEqual([]);
    expect(raw.json).toMatchObject({
      id: ADMIN_ID,
      name: "tsadmin",
      visibility: "SHARABLE",
      current_org: { id: 2100019165, name: "testOrg1" },
    });
    expect(raw.json.orgs).toEqual(
      expect.arrayContaining([
        { id: 0, name: "Primary" },
        { id: 1532970882, name: "testOrg" },
        { id: 2100019165, name: "testOrg1" },
      ]),
    );
    expect(raw.json.privileges).toEqual(expect.arrayContaining(["ADMINISTRATION"]));
    expect(user.current_org?.id).toBe(2100019165);

    await session.api.logout();
    expect(session.last().status).toBe(204);
    expect(session.last().text).toBe("");
    const err = await apiException(session.api.getCurrentUserInfo());
    expectEnvelope(err, session.last(), 401, 10097);
  });

  it("reads the current user with a bearer token in the token's org", async () => {
    const c = client(namespace("me"));
    await c.api.getCurrentUserInfo();
    expect(checkModel(c.last().json, "User")).toEqual([]);
    expect(c.last().json.current_org).toEqual({ id: 2100019165, name: "testOrg1" });
  });

  it("lists orgs as OrgResponse objects with integer ids", async () => {
    const c = client(namespace("orgs"));
    const orgs = await c.api.searchOrgs({});
    const raw = c.last();
    expect(raw.status).toBe(200);
    expect(checkModel(raw.json, "Array<OrgResponse>")).toEqual([]);
    expect(raw.json.map((o: { id: number; name: string }) => [o.id, o.name])).toEqual(
      expect.arrayContaining([
        [0, "Primary"],
        [1532970882, "testOrg"],
        [2100019165, "testOrg1"],
      ]),
    );
    expect(orgs.length).toBe(raw.json.length);

    await c.api.searchOrgs({ org_identifier: "testOrg1" });
    expect(checkModel(c.last().json, "Array<OrgResponse>")).toEqual([]);
    expect(c.last().json).toHaveLength(1);
    expect(c.last().json[0]).toMatchObject({ id: 2100019165, name: "testOrg1" });
  });
});

describe("communication channel preferences through the official client", () => {
  it("lists every org with empty preferences before anything is configured", async () => {
    const c = client(namespace("prefs-empty"));
    await c.api.searchCommunicationChannelPreferences({});
    const raw = c.last();
    expect(checkModel(raw.json, "CommunicationChannelPreferencesResponse")).toEqual([]);
    expect(raw.json.cluster_preferences).toEqual([]);
    expect(raw.json.org_preferences).toEqual(
      expect.arrayContaining([
        { org: { id: "0", name: "Primary" }, preferences: [] },
        { org: { id: "1532970882", name: "testOrg" }, preferences: [] },
        { org: TEST_ORG1, preferences: [] },
      ]),
    );
  });

  it("stores a REPLACE and shows only the stored overrides in search", async () => {
    const c = client(namespace("prefs-replace"));
    await c.api.configureCommunicationChannelPreferences({
      cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }],
      org_preferences: [
        {
          org_identifier: "testOrg1",
          operation: "REPLACE",
          preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL", "WEBHOOK"] }],
        },
      ],
    });
    expect(c.last().status).toBe(204);
    expect(c.last().text).toBe("");

    const all = await c.api.searchCommunicationChannelPreferences({});
    const raw = c.last();
    expect(checkModel(raw.json, "CommunicationChannelPreferencesResponse")).toEqual([]);
    expect(raw.json.cluster_preferences).toEqual([{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }]);
    expect(raw.json.org_preferences).toEqual(
      expect.arrayContaining([
        { org: { id: "0", name: "Primary" }, preferences: [] },
        { org: TEST_ORG1, preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL", "WEBHOOK"] }] },
      ]),
    );
    expect(all.org_preferences?.length).toBe(raw.json.org_preferences.length);

    await c.api.searchCommunicationChannelPreferences({
      org_preferences: [{ org_identifier: "testOrg1", event_types: ["LIVEBOARD_SCHEDULE"] }],
    });
    expect(checkModel(c.last().json, "CommunicationChannelPreferencesResponse")).toEqual([]);
    expect(c.last().json.org_preferences).toEqual([
      { org: TEST_ORG1, preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL", "WEBHOOK"] }] },
    ]);

    await c.api.searchCommunicationChannelPreferences({ cluster_preferences: ["LIVEBOARD_SCHEDULE"] });
    expect(checkModel(c.last().json, "CommunicationChannelPreferencesResponse")).toEqual([]);
    expect(c.last().json.cluster_preferences).toEqual([{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }]);
  });

  it("keeps an explicit empty channel list and removes the override on RESET", async () => {
    const c = client(namespace("prefs-reset"));
    await c.api.configureCommunicationChannelPreferences({
      org_preferences: [
        { org_identifier: "2100019165", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: [] }] },
      ],
    });
    await c.api.searchCommunicationChannelPreferences({ org_preferences: [{ org_identifier: "testOrg1" }] });
    expect(c.last().json.org_preferences).toEqual([{ org: TEST_ORG1, preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: [] }] }]);

    await c.api.configureCommunicationChannelPreferences({
      org_preferences: [{ org_identifier: "testOrg1", operation: "RESET", reset_events: ["LIVEBOARD_SCHEDULE"] }],
    });
    expect(c.last().status).toBe(204);
    await c.api.searchCommunicationChannelPreferences({ org_preferences: [{ org_identifier: "testOrg1" }] });
    expect(checkModel(c.last().json, "CommunicationChannelPreferencesResponse")).toEqual([]);
    expect(c.last().json.org_preferences).toEqual([{ org: TEST_ORG1, preferences: [] }]);
  });
});

describe("webhooks through the official client", () => {
  it.each(AUTH_KINDS)(
    "creates a webhook with S3 storage and $kind authentication, redacting every secret",
    async ({ kind, input, redacted, secrets }) => {
      const c = client(namespace(`create-${kind.toLowerCase()}`));
      const created = await c.api.createWebhookConfiguration(webhookRequest({ authentication: input }));
      const raw = c.last();
      expect(raw.status).toBe(200);
      expect(checkModel(raw.json, "WebhookResponse")).toEqual([]);
      expect(raw.json).toMatchObject({
        id: expect.stringMatching(UUID_V4),
        name: "Zapier",
        description: "Liveboard schedule deliveries",
        org: TEST_ORG1,
        url: "https://hooks.zapier.com/hooks/catch/123/abc",
        url_params: { team: "ops", env: "dev" },
        events: ["LIVEBOARD_SCHEDULE"],
        signature_verification: { type: "HMAC_SHA256", header: "X-Signature", algorithm: "SHA256", secret: "***" },
        additional_headers: [{ key: "X-Team", value: "analytics" }],
        creation_time_in_millis: expect.any(Number),
        modification_time_in_millis: expect.any(Number),
        created_by: { id: ADMIN_ID, name: "tsadmin" },
        storage_destination: S3,
        status: "ENABLED",
      });
      expect(withoutNulls(raw.json.authentication)).toEqual(redacted);
      for (const secret of [...secrets, SIGNATURE.secret]) expect(raw.text).not.toContain(secret);
      expect(Object.keys(raw.json)).toEqual(WEBHOOK_KEY_ORDER);
      expect(created.id).toBe(raw.json.id);

      const found = await c.api.searchWebhookConfigurations({ webhook_identifier: created.id });
      const search = c.last();
      expect(checkModel(search.json, "WebhookSearchResponse")).toEqual([]);
      expect(search.json.webhooks).toEqual([raw.json]);
      expect(search.json.pagination).toEqual({ record_offset: 0, record_size: 50, total_count: 1, has_more: false });
      for (const secret of [...secrets, SIGNATURE.secret]) expect(search.text).not.toContain(secret);
      expect(found.webhooks[0].id).toBe(created.id);
    },
  );

  it("prints unset optional sections of a minimal webhook as null", async () => {
    const c = client(namespace("minimal"));
    await c.api.createWebhookConfiguration({ name: "Bare", url: "https://example.com/hook", events: ["LIVEBOARD_SCHEDULE"] });
    const raw = c.last();
    expect(checkModel(raw.json, "WebhookResponse")).toEqual([]);
    expect(raw.json).toMatchObject({
      description: null,
      url_params: null,
      authentication: null,
      signature_verification: null,
      additional_headers: null,
      storage_destination: null,
      status: "ENABLED",
    });
  });

  it("finds a webhook by name and by org, and pages with the requested record size", async () => {
    const c = client(namespace("search"));
    const created = await c.api.createWebhookConfiguration(webhookRequest({ name: "Searchable" }));
    await c.api.searchWebhookConfigurations({ webhook_identifier: "Searchable" });
    expect(checkModel(c.last().json, "WebhookSearchResponse")).toEqual([]);
    expect(c.last().json.webhooks.map((w: { id: string }) => w.id)).toEqual([created.id]);

    await c.api.searchWebhookConfigurations({
      org_identifier: "testOrg1",
      record_offset: 0,
      record_size: 1,
      sort_options: { field_name: "NAME", order: "ASC" },
    });
    expect(checkModel(c.last().json, "WebhookSearchResponse")).toEqual([]);
    expect(c.last().json.pagination).toEqual({ record_offset: 0, record_size: 1, total_count: 1, has_more: false });

    await c.api.searchWebhookConfigurations({ org_identifier: "Primary" });
    expect(checkModel(c.last().json, "WebhookSearchResponse")).toEqual([]);
    expect(c.last().json).toEqual({ webhooks: [], pagination: { record_offset: 0, record_size: 50, total_count: 0, has_more: false } });
  });

  it("updates a webhook partially with 204 and bumps its modification data", async () => {
    const c = client(namespace("update"));
    const created = await c.api.createWebhookConfiguration(webhookRequest({ authentication: { BEARER_TOKEN: "old-token" } }));
    const before = c.last().json;
    await new Promise((r) => setTimeout(r, 5));

    await c.api.updateWebhookConfiguration(created.id, {
      name: "Zapier renamed",
      authentication: { API_KEY: { key: "X-Key", value: "new-key-secret" } },
    });
    expect(c.last().status).toBe(204);
    expect(c.last().text).toBe("");

    await c.api.searchWebhookConfigurations({ webhook_identifier: created.id });
    const raw = c.last();
    expect(checkModel(raw.json, "WebhookSearchResponse")).toEqual([]);
    const after = raw.json.webhooks[0];
    expect(after).toMatchObject({
      id: created.id,
      name: "Zapier renamed",
      description: before.description,
      url: before.url,
      url_params: before.url_params,
      storage_destination: before.storage_destination,
      signature_verification: before.signature_verification,
      additional_headers: before.additional_headers,
      creation_time_in_millis: before.creation_time_in_millis,
      last_modified_by: { id: ADMIN_ID, name: "tsadmin" },
    });
    expect(withoutNulls(after.authentication)).toEqual({ API_KEY: { key: "X-Key", value: "***" } });
    expect(after.modification_time_in_millis).toBeGreaterThan(before.modification_time_in_millis);
    expect(raw.text).not.toContain("new-key-secret");
  });

  it("deletes a webhook and reports an unknown identifier as a failure", async () => {
    const c = client(namespace("delete"));
    const created = await c.api.createWebhookConfiguration(
      webhookRequest({ authentication: { BASIC_AUTH: { username: "u", password: "delete-secret" } } }),
    );
    const createdRaw = c.last().json;

    const result = await c.api.deleteWebhookConfigurations({ webhook_identifiers: [created.id, "no-such-webhook"] });
    const raw = c.last();
    expect(raw.status).toBe(200);
    expect(checkModel(raw.json, "WebhookDeleteResponse")).toEqual([]);
    expect(raw.json).toEqual({
      deleted_count: 1,
      failed_count: 1,
      deleted_webhooks: [createdRaw],
      failed_webhooks: [{ id: "no-such-webhook", name: "no-such-webhook", error: "Webhook not found or access denied" }],
    });
    expect(raw.text).not.toContain("delete-secret");
    expect(result.deleted_count).toBe(1);

    await c.api.searchWebhookConfigurations({});
    expect(c.last().json.webhooks).toEqual([]);
    expect(c.last().json.pagination.total_count).toBe(0);
  });
});

describe("webhook search over several orgs and many webhooks per org through the official client", () => {
  const ORG_IDS = [0, 1532970882, 2100019165];
  const names = (json: { webhooks: { name: string }[] }) => json.webhooks.map((w) => w.name);

  /** Every page of a search, record_size at a time, each raw body checked against WebhookSearchResponse. */
  async function allPages(c: Client, record_size: number, extra: Record<string, unknown> = {}) {
    const pages: any[] = [];
    for (let record_offset = 0; ; record_offset += record_size) {
      const result = await c.api.searchWebhookConfigurations({ record_offset, record_size, ...extra });
      const raw = c.last();
      expect(checkModel(raw.json, "WebhookSearchResponse")).toEqual([]);
      expect(result.pagination.has_more).toBe(raw.json.pagination.has_more);
      expect(result.webhooks.map((w) => w.id)).toEqual(raw.json.webhooks.map((w: { id: string }) => w.id));
      pages.push(raw.json);
      if (!raw.json.pagination.has_more) return pages;
    }
  }

  it("lists one webhook of each of the caller's three orgs and pages them two at a time", async () => {
    const ns = namespace("search-orgs");
    const made: string[] = [];
    for (const [i, org_id] of ORG_IDS.entries()) {
      const c = client(ns, { username: "tsadmin", password: "admin", org_id });
      made.push((await c.api.createWebhookConfiguration(webhookRequest({ name: `Hook ${i}`, storage_destination: undefined }))).id);
      await new Promise((r) => setTimeout(r, 2));
    }
    const c = client(ns, { username: "tsadmin", password: "admin", org_id: 0 });
    const pages = await allPages(c, 2, { sort_options: { field_name: "NAME", order: "ASC" } });
    expect(pages.map(names)).toEqual([["Hook 0", "Hook 1"], ["Hook 2"]]);
    expect(pages.map((p) => p.pagination)).toEqual([
      { record_offset: 0, record_size: 2, total_count: 3, has_more: true },
      { record_offset: 2, record_size: 2, total_count: 3, has_more: false },
    ]);
    expect(pages.flatMap((p) => p.webhooks.map((w: { org: { id: string } }) => w.org.id))).toEqual(["0", "1532970882", "2100019165"]);
    const newest = await allPages(c, 50);
    expect(newest.flatMap((p) => p.webhooks.map((w: { id: string }) => w.id))).toEqual([...made].reverse());
  });

  describe("with --webhooks-per-org many", () => {
    let many: RunningEmulator;
    beforeAll(async () => {
      many = await startEmulator({ port: 0, seed: 8, webhooksPerOrg: "many", log: () => {} });
    });
    afterAll(async () => {
      await many?.stop();
    });

    it("creates five LIVEBOARD_SCHEDULE webhooks in two orgs and pages them by every sort field", async () => {
      const ns = namespace("search-many");
      const inOrg1 = sdkClient(many.url, { auth: ADMIN, namespace: ns });
      const inPrimary = sdkClient(many.url, { auth: { username: "tsadmin", password: "admin", org_id: 0 }, namespace: ns });
      const plan: [Client, string][] = [
        [inOrg1, "Delta"],
        [inPrimary, "alpha"],
        [inOrg1, "Echo"],
        [inPrimary, "Charlie"],
        [inOrg1, "bravo"],
      ];
      for (const [c, name] of plan) {
        await c.api.createWebhookConfiguration(webhookRequest({ name }));
        expect(checkModel(c.last().json, "WebhookResponse")).toEqual([]);
      }
      await new Promise((r) => setTimeout(r, 5));
      await inOrg1.api.updateWebhookConfiguration("Delta", { description: "touched" });
      expect(inOrg1.last().status).toBe(204);

      const sorted = async (field_name: string, order: string) => {
        const pages = await allPages(inPrimary, 2, { sort_options: { field_name, order } });
        expect(pages.map((p) => p.pagination)).toEqual([
          { record_offset: 0, record_size: 2, total_count: 5, has_more: true },
          { record_offset: 2, record_size: 2, total_count: 5, has_more: true },
          { record_offset: 4, record_size: 2, total_count: 5, has_more: false },
        ]);
        return pages.flatMap(names);
      };
      expect(await sorted("NAME", "ASC")).toEqual(["alpha", "bravo", "Charlie", "Delta", "Echo"]);
      expect(await sorted("NAME", "DESC")).toEqual(["Echo", "Delta", "Charlie", "bravo", "alpha"]);
      expect(await sorted("CREATED", "DESC")).toEqual(["bravo", "Charlie", "Echo", "alpha", "Delta"]);
      expect(await sorted("CREATED", "ASC")).toEqual(["Delta", "alpha", "Echo", "Charlie", "bravo"]);
      expect((await sorted("MODIFIED", "DESC"))[0]).toBe("Delta");

      const org1 = await allPages(inPrimary, 2, { org_identifier: "testOrg1" });
      expect(org1.flatMap(names)).toEqual(["bravo", "Echo", "Delta"]);
      expect(org1.at(-1).pagination).toEqual({ record_offset: 2, record_size: 2, total_count: 3, has_more: false });
    });
  });
});

describe("validation and delivery history through the official client", () => {
  it("validates a webhook with S3 storage: storage step first, HTTP second, test POST with auth, headers, params and signature", async () => {
    const receiver = await startReceiver({ path: "" });
    try {
      const c = client(namespace("validate"));
      const created = await c.api.createWebhookConfiguration(
        webhookRequest({ url: `${receiver.url}/hook`, authentication: { BEARER_TOKEN: "receiver-token" } }),
      );

      const result = await c.api.validateCommunicationChannel({
        channel_type: "WEBHOOK",
        channel_identifier: created.id,
        event_type: "LIVEBOARD_SCHEDULE",
      });
      const raw = c.last();
      expect(raw.status).toBe(200);
      expect(checkModel(raw.json, "CommunicationChannelValidateResponse")).toEqual([]);
      expect(raw.json).toEqual({
        channel_type: "WEBHOOK",
        channel_id: created.id,
        channel_name: "Zapier",
        event_type: "LIVEBOARD_SCHEDULE",
        job_id: expect.stringMatching(/^n\.validation-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        result_code: "SUCCESS",
        details: [
          {
            validation_step: "STORAGE_FILE_UPLOAD_CHECK",
            status: "SUCCESS",
            http_status: null,
            error_message: null,
            aws_s3_info: {
              bucket_name: "my-webhook-files",
              file_name: expect.stringMatching(/^validation_dummy_\d{8}_\d{6}\.pdf$/),
              object_key: expect.any(String),
            },
          },
          { validation_step: "HTTP_CONNECTION_CHECK", status: "SUCCESS", http_status: 200, error_message: null, aws_s3_info: null },
        ],
      });
      expect(raw.json.details[0].aws_s3_info.object_key.endsWith(raw.json.details[0].aws_s3_info.file_name)).toBe(true);
      expect(sdkEnum("CommunicationChannelValidateResponseResultCodeEnum")).toContain(result.result_code);

      // The test POST reached the receiver with the webhook's auth, headers, url_params and signature (docs/decisions.md, "Validation" and "Signature").
      expect(receiver.requests).toHaveLength(1);
      const post = receiver.requests[0];
      expect(post.method).toBe("POST");
      const url = new URL(post.url, receiver.url);
      expect(url.pathname).toBe("/hook");
      expect(Object.fromEntries(url.searchParams)).toEqual({ team: "ops", env: "dev" });
      expect(post.headers.authorization).toBe("Bearer receiver-token");
      expect(post.headers["x-team"]).toBe("analytics");
      expect(post.headers["content-type"]).toMatch(/^multipart\/form-data/);
      expect(post.headers["x-signature"]).toBe(createHmac("sha256", SIGNATURE.secret).update(post.body).digest("hex"));

      // The validation is a history job, found by its id.
      await c.api.searchChannelHistory({ channel_type: "WEBHOOK", job_ids: [raw.json.job_id] });
      const hist = c.last();
      expect(checkModel(hist.json, "SearchChannelHistoryResponse")).toEqual([]);
      expect(hist.json).toEqual({
        jobs: [
          {
            id: raw.json.job_id,
            status: "SUCCESS",
            creation_time_in_millis: expect.any(Number),
            event: { type: "LIVEBOARD_SCHEDULE", id: `validation-${created.id}`, name: null, run_id: null },
            recipients: null,
            detail: "",
            try_count: 1,
          },
        ],
      });
    } finally {
      await receiver.close();
    }
  });

  it("finds validation jobs by channel and event, newest first, and filters them by status", async () => {
    const receiver = await startReceiver({ statuses: [200, 500], afterwards: 200, path: "" });
    try {
      const c = client(namespace("history"));
      const created = await c.api.createWebhookConfiguration(webhookRequest({ name: "History hook", url: `${receiver.url}/hook` }));
      const first = await c.api.validateCommunicationChannel({
        channel_type: "WEBHOOK",
        channel_identifier: created.id,
        event_type: "LIVEBOARD_SCHEDULE",
      });
      await new Promise((r) => setTimeout(r, 5));
      const second = await c.api.validateCommunicationChannel({
        channel_type: "WEBHOOK",
        channel_identifier: "History hook",
        event_type: "LIVEBOARD_SCHEDULE",
      });
      const secondRaw = c.last();
      expect(checkModel(secondRaw.json, "CommunicationChannelValidateResponse")).toEqual([]);
      expect(secondRaw.json.result_code).toBe("PARTIAL_SUCCESS");
      expect(
        secondRaw.json.details.map((d: { validation_step: string; status: string; http_status: number | null }) => [
          d.validation_step,
          d.status,
          d.http_status,
        ]),
      ).toEqual([
        ["STORAGE_FILE_UPLOAD_CHECK", "SUCCESS", null],
        ["HTTP_CONNECTION_CHECK", "FAILED", 500],
      ]);

      await c.api.searchChannelHistory({
        channel_type: "WEBHOOK",
        channel_identifiers: [created.id],
        events: [{ type: "LIVEBOARD_SCHEDULE" }],
      });
      const hist = c.last();
      expect(checkModel(hist.json, "SearchChannelHistoryResponse")).toEqual([]);
      expect(hist.json.jobs.map((j: { id: string; status: string }) => [j.id, j.status])).toEqual([
        [second.job_id, "FAILED"],
        [first.job_id, "SUCCESS"],
      ]);
      const failed = hist.json.jobs[0];
      expect(failed).toMatchObject({
        event: { type: "LIVEBOARD_SCHEDULE", id: `validation-${created.id}`, name: null, run_id: null },
        recipients: null,
        try_count: 1,
      });
      expect(failed.detail).toEqual(expect.stringContaining("500"));
      expect(hist.json.jobs[0].creation_time_in_millis).toBeGreaterThanOrEqual(hist.json.jobs[1].creation_time_in_millis);

      // Channel by name, with a status filter.
      await c.api.searchChannelHistory({
        channel_type: "WEBHOOK",
        channel_identifiers: ["History hook"],
        events: [{ type: "LIVEBOARD_SCHEDULE" }],
        channel_status: "SUCCESS",
      });
      expect(checkModel(c.last().json, "SearchChannelHistoryResponse")).toEqual([]);
      expect(c.last().json.jobs.map((j: { id: string }) => j.id)).toEqual([first.job_id]);
    } finally {
      await receiver.close();
    }
  });

  it("returns synthesized history that fits the client's models: named schedules, run ids, USER and EXTERNAL recipients", async () => {
    const ns = namespace("synth");
    const c = client(ns);
    const created = await c.api.createWebhookConfiguration(webhookRequest({ name: "Synth hook" }));
    const synth = await fetch(`${emu.url}/_emulator/jobs/synthesize`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-emulator-namespace": ns },
      body: JSON.stringify({ channel_identifier: created.id, days: 2, runs_per_day: 48, failure_rate: 0.2, retry_rate: 0.3 }),
    });
    expect(synth.status).toBe(200);
    await c.api.searchChannelHistory({
      channel_type: "WEBHOOK",
      channel_identifiers: [created.id],
      events: [{ type: "LIVEBOARD_SCHEDULE" }],
    });
    const hist = c.last();
    expect(checkModel(hist.json, "SearchChannelHistoryResponse")).toEqual([]);
    const jobs = hist.json.jobs as {
      id: string;
      status: string;
      event: { id: string; name: string; run_id: string };
      recipients: { type: string }[];
      detail: string | null;
      try_count: number;
    }[];
    expect(jobs.length).toBeGreaterThan(60);
    const statuses = new Set(jobs.map((j) => j.status));
    expect(statuses.has("SUCCESS") && statuses.has("FAILED")).toBe(true);
    for (const j of jobs) {
      expect(j.id).toMatch(/^n\.[0-9a-f-]{36}$/);
      expect(j.event.name).toEqual(expect.any(String));
      expect(j.event.id).toMatch(UUID_V4);
      expect(j.event.run_id).toMatch(UUID_V4);
    }
    expect(new Set(jobs.flatMap((j) => j.recipients.map((r) => r.type)))).toEqual(new Set(["USER", "EXTERNAL"]));
    // one schedule name → one schedule id
    const byName = new Map<string, Set<string>>();
    for (const j of jobs) byName.set(j.event.name, (byName.get(j.event.name) ?? new Set()).add(j.event.id));
    for (const ids of byName.values()) expect(ids.size).toBe(1);
    // the same history through an event filter by schedule name
    const [name] = byName.keys();
    await c.api.searchChannelHistory({
      channel_type: "WEBHOOK",
      channel_identifiers: ["Synth hook"],
      events: [{ type: "LIVEBOARD_SCHEDULE", identifier: name }],
    });
    expect(checkModel(c.last().json, "SearchChannelHistoryResponse")).toEqual([]);
    expect(c.last().json.jobs.length).toBe(jobs.filter((j) => j.event.name === name).length);
  });

  it.skipIf(!existsSync(ASSUME_ROLE_SCENARIO))(
    "reports a denied AssumeRole as PARTIAL_SUCCESS with the real STS text and a FAILED history job",
    async () => {
      const ns = namespace("assume-role");
      const c = client(ns, ADMIN, { "X-Emulator-Scenario": "aws-assume-role-denied" });
      const created = await c.api.createWebhookConfiguration(webhookRequest());
      await c.api.validateCommunicationChannel({
        channel_type: "WEBHOOK",
        channel_identifier: created.id,
        event_type: "LIVEBOARD_SCHEDULE",
      });
      const raw = c.last();
      expect(raw.status).toBe(200);
      expect(checkModel(raw.json, "CommunicationChannelValidateResponse")).toEqual([]);
      expect(raw.json.result_code).toBe("PARTIAL_SUCCESS");
      const [storage, http] = raw.json.details;
      expect(storage).toMatchObject({
        validation_step: "STORAGE_FILE_UPLOAD_CHECK",
        status: "FAILED",
        http_status: null,
        aws_s3_info: { bucket_name: "my-webhook-files", file_name: expect.stringMatching(/^validation_dummy_\d{8}_\d{6}\.pdf$/) },
      });
      expect(storage.error_message).toMatch(
        /^failed to assume role 'arn:aws:iam::123456789012:role\/ThoughtSpotDeliveryRole': operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: [0-9a-f-]{36}, api error AccessDenied: User: arn:aws:sts::\d{12}:assumed-role\/cell-[0-9a-f]{8}-coms-lambda-role\/cell-[0-9a-f]{8}-coms-api is not authorized/,
      );
      expect(http).toMatchObject({ validation_step: "HTTP_CONNECTION_CHECK", status: "SUCCESS", http_status: 200 });

      await c.api.searchChannelHistory({ channel_type: "WEBHOOK", job_ids: [raw.json.job_id] });
      const hist = c.last();
      expect(checkModel(hist.json, "SearchChannelHistoryResponse")).toEqual([]);
      expect(hist.json.jobs).toHaveLength(1);
      expect(hist.json.jobs[0].status).toBe("FAILED");
      expect(hist.json.jobs[0].detail.startsWith("STORAGE_FILE_UPLOAD_CHECK (bucket: my-webhook-files): failed to assume role")).toBe(true);
    },
  );
});

describe("errors through the official client", () => {
  it("answers a bad enum with ApiException 400 naming the field", async () => {
    const c = client(namespace("bad-enum"));
    const err = await apiException(
      c.api.validateCommunicationChannel({
        channel_type: "EMAIL" as never,
        channel_identifier: "Zapier",
        event_type: "LIVEBOARD_SCHEDULE",
      }),
    );
    const messages = expectEnvelope(err, c.last(), 400, 10002);
    expect(messages.join(" ")).toContain("channel_type");

    const err2 = await apiException(
      c.api.searchChannelHistory({ channel_type: "WEBHOOK", job_ids: ["n.x"], channel_status: "DONE" as never }),
    );
    expect(expectEnvelope(err2, c.last(), 400, 10002).join(" ")).toContain("channel_status");
  });

  it("answers validation of an unknown webhook with ApiException 400", async () => {
    const c = client(namespace("validate-unknown"));
    const err = await apiException(
      c.api.validateCommunicationChannel({ channel_type: "WEBHOOK", channel_identifier: "nope", event_type: "LIVEBOARD_SCHEDULE" }),
    );
    expect(expectEnvelope(err, c.last(), 400, 10002)).toContain("Webhook with the specified channel_identifier was not found.");
  });

  it("refuses a second LIVEBOARD_SCHEDULE webhook in the same org with ApiException 400", async () => {
    const c = client(namespace("one-per-org"));
    await c.api.createWebhookConfiguration(webhookRequest());
    const err = await apiException(c.api.createWebhookConfiguration(webhookRequest({ name: "Second" })));
    expectEnvelope(err, c.last(), 400, 10002);
  });

  it("answers updating an unknown webhook, an empty delete and a zero record_size with ApiException 400", async () => {
    const c = client(namespace("bad-requests"));
    const update = await apiException(c.api.updateWebhookConfiguration("missing-hook", { name: "x" }));
    expect(expectEnvelope(update, c.last(), 400, 10002)).toContain("Webhook with the specified identifier was not found.");

    const del = await apiException(c.api.deleteWebhookConfigurations({ webhook_identifiers: [] }));
    expect(expectEnvelope(del, c.last(), 400, 10002)).toContain("webhook_identifiers must contain at least one identifier.");

    const search = await apiException(c.api.searchWebhookConfigurations({ record_size: 0 }));
    expect(expectEnvelope(search, c.last(), 400, 10002)).toContain("record_size must be a positive integer.");
  });

  it("answers an analyst searching webhooks with ApiException 403", async () => {
    const c = client(namespace("analyst"), { username: "analyst", password: "analyst" });
    const err = await apiException(c.api.searchWebhookConfigurations({}));
    expect(expectEnvelope(err, c.last(), 403, 10023)).toEqual(["Insufficient privileges to search webhook configurations."]);
  });

  it("answers a developer configuring cluster preferences with ApiException 403 and changes nothing", async () => {
    const ns = namespace("developer");
    const dev = client(ns, { username: "developer", password: "developer" });
    const err = await apiException(
      dev.api.configureCommunicationChannelPreferences({
        cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }],
      }),
    );
    expect(expectEnvelope(err, dev.last(), 403, 10023)).toEqual([
      "ADMINISTRATION privilege required to configure cluster-level communication channel preferences.",
    ]);

    const admin = client(ns);
    await admin.api.searchCommunicationChannelPreferences({ cluster_preferences: ["LIVEBOARD_SCHEDULE"] });
    expect(admin.last().json.cluster_preferences).toEqual([]);
  });
});

// Kept last: the namespaces above are numbered in order, and some of their seeded data depends on the number.
describe("system information and session tokens through the official client", () => {
  it("reads the system information as a SystemInfo with the emulated release", async () => {
    const c = client(namespace("system"));
    const info = await c.api.getSystemInformation();
    const raw = c.last();
    expect(raw.status).toBe(200);
    expect(checkModel(raw.json, "SystemInfo")).toEqual([]);
    expect(raw.json).toMatchObject({ release_version: "26.8.0.cl", type: "SAAS", tsadmin_user_id: ADMIN_ID });
    expect(info.release_version).toBe("26.8.0.cl");
  });

  it("mints a session token as a GetTokenResponse, and the new token works", async () => {
    const ns = namespace("session-token");
    const c = client(ns);
    const minted = await c.api.getCurrentUserToken();
    const raw = c.last();
    expect(checkModel(raw.json, "GetTokenResponse")).toEqual([]);
    expect(raw.json.expiration_time_in_millis - raw.json.creation_time_in_millis).toBe(86_400_000);
    expect(raw.json).toMatchObject({ valid_for_user_id: ADMIN_ID, valid_for_username: "tsadmin" });
    const again = client(ns, async () => minted.token);
    await again.api.getCurrentUserInfo();
    expect(again.last().json.current_org).toEqual({ id: 2100019165, name: "testOrg1" });
  });

  it("describes a JIT-provisioned user's groups as a User the client reads", async () => {
    const ns = namespace("jit");
    const jit = client(ns, {
      username: "jit-user",
      secret_key: "b2f6c9a4-1d3e-4f5a-9b7c-8e0d2a4c6f18",
      auto_create: true,
      display_name: "JIT User",
      email: "jit@example.com",
      group_identifiers: ["Sales"],
      org_id: 2100019165,
    });
    await jit.api.getCurrentUserInfo();
    expect(checkModel(jit.last().json, "User")).toEqual([]);
    expect(jit.last().json).toMatchObject({ name: "jit-user", user_groups: [{ id: null, name: "Sales" }] });
  });
});
