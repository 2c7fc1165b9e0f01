import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { atLeast, parseRelease, withoutPaths } from "../../src/schemas/releases.js";
import {
  call,
  createWebhook,
  debugText,
  emulator,
  errorCode,
  killAll,
  login,
  ORGS,
  runToExit,
  S3_DESTINATION,
  sleep,
  startCli,
  USERS,
  validateOk,
} from "../support/index.js";

/** --release turns endpoints and fields on and off as the spec's version tags say (docs/decisions.md, "Releases"). */

const GCS_DESTINATION = {
  storage_type: "GCP_GCS",
  storage_config: { gcp_gcs_config: { bucket_name: "gcs-bucket", service_account_email: "writer@acme.iam.gserviceaccount.com" } },
};

async function admin(release: string, extra: Record<string, unknown> = {}): Promise<{ emu: Emulator; token: string }> {
  const emu = await emulator({ release, ...extra });
  return { emu, token: await login(emu, "admin") };
}

/** An endpoint the release does not have answers as an unknown path: 400 code 10002 "No endpoint …". */
function expectAbsent(res: { status: number; body: any; text: string }) {
  expect(res.status, res.text).toBe(400);
  expect(errorCode(res.body)).toBe(10002);
  expect(debugText(res.body)).toMatch(/^No endpoint (GET|POST) \/api\/rest\/2\.0\//);
}

describe("the release table", () => {
  it("reads 26.8, 26.8.0 and 26.8.0.cl as one release and knows no 26.3", () => {
    expect(parseRelease("26.8")).toBe("26.8.0.cl");
    expect(parseRelease("26.8.0")).toBe("26.8.0.cl");
    expect(parseRelease("26.8.0.cl")).toBe("26.8.0.cl");
    expect(parseRelease("26.3")).toBeUndefined();
  });

  it("orders versions by their numbers, not their text", () => {
    expect(atLeast("26.10.0.cl", "26.8.0.cl")).toBe(true);
    expect(atLeast("10.14.0.cl", "9.12.0.cl")).toBe(true);
    expect(atLeast("26.4.0.cl", "26.7.0.cl")).toBe(false);
  });

  it("drops paths without changing the value it was given", () => {
    const stored = { a: 1, list: [{ x: 1, y: { z: 2, keep: 3 } }] };
    const out = withoutPaths(stored, ["a", "list[].y.z"]);
    expect(out).toEqual({ list: [{ x: 1, y: { keep: 3 } }] });
    expect(stored).toEqual({ a: 1, list: [{ x: 1, y: { z: 2, keep: 3 } }] });
  });

  it("refuses an unknown release at start", async () => {
    await expect(emulator({ release: "26.3" })).rejects.toThrow(/Unknown release "26.3"; expected one of 10.14.0.cl, /);
  });
});

describe("--release 26.4", () => {
  it("has no GET /webhooks/storage-config: it answers like an unknown path, never 404", async () => {
    const { emu, token } = await admin("26.4");
    expectAbsent(await call(emu, "GET", "/webhooks/storage-config", undefined, { token }));
  });

  it("has validate and history search", async () => {
    const { emu, token } = await admin("26.4");
    const hook = await createWebhook(emu, token);
    const v = await validateOk(emu, token, hook.id);
    const h = await call(
      emu,
      "POST",
      "/jobs/history/communication-channels/search",
      { channel_type: "WEBHOOK", job_ids: [v.job_id] },
      { token },
    );
    expect(h.body.jobs).toHaveLength(1);
  });

  it("ignores a webhook's status and answers no status field (26.7), but keeps additional_headers (26.4)", async () => {
    const { emu, token } = await admin("26.4");
    const hook = await createWebhook(emu, token, { status: "DISABLED", additional_headers: [{ key: "X-A", value: "1" }] });
    expect(hook).not.toHaveProperty("status");
    expect(hook.additional_headers).toEqual([{ key: "X-A", value: "1" }]);
    const search = await call(emu, "POST", "/webhooks/search", { status: "DISABLED" }, { token });
    expect(search.body.webhooks).toHaveLength(1);
    expect(search.body.webhooks[0]).not.toHaveProperty("status");
  });

  it("has S3 storage destinations (26.3) but not GCS ones (26.7)", async () => {
    const { emu, token } = await admin("26.4");
    const s3 = await createWebhook(emu, token, { storage_destination: S3_DESTINATION });
    expect(s3.storage_destination.storage_type).toBe("AWS_S3");
    await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: [s3.id] }, { token });
    const gcs = await call(
      emu,
      "POST",
      "/webhooks/create",
      { name: "G", url: "https://x.example.com", events: ["LIVEBOARD_SCHEDULE"], storage_destination: GCS_DESTINATION },
      { token },
    );
    expect(gcs.status).toBe(400);
    expect(debugText(gcs.body)).toBe("storage_config.gcp_gcs_config must be specified when storage_type is GCP_GCS.");
  });

  it("ignores reset_options on update (26.7)", async () => {
    const { emu, token } = await admin("26.4");
    const hook = await createWebhook(emu, token, { authentication: { BEARER_TOKEN: "t" } });
    const res = await call(emu, "POST", `/webhooks/${hook.id}/update`, { reset_options: ["AUTHENTICATION"] }, { token });
    expect(res.status).toBe(204);
    const after = await call(emu, "POST", "/webhooks/search", { webhook_identifier: hook.id }, { token });
    expect(after.body.webhooks[0].authentication).toEqual({ BEARER_TOKEN: "***" });
  });
});

describe("--release 10.14", () => {
  it("has preferences and webhooks but neither validate nor history search", async () => {
    const { emu, token } = await admin("10.14");
    expect((await call(emu, "POST", "/system/preferences/communication-channels/search", {}, { token })).status).toBe(200);
    const hook = await createWebhook(emu, token);
    expectAbsent(await validateRaw(emu, token, hook.id));
    expectAbsent(await call(emu, "POST", "/jobs/history/communication-channels/search", { channel_type: "WEBHOOK" }, { token }));
  });

  it("answers webhooks without storage_destination (26.3) and additional_headers (26.4)", async () => {
    const { emu, token } = await admin("10.14");
    const hook = await createWebhook(emu, token, { storage_destination: S3_DESTINATION, additional_headers: [{ key: "X-A", value: "1" }] });
    for (const key of ["storage_destination", "additional_headers", "status"]) expect(hook).not.toHaveProperty(key);
    expect(hook).toMatchObject({ name: "Zapier", events: ["LIVEBOARD_SCHEDULE"] });
  });
});

function validateRaw(emu: Emulator, token: string, id: string) {
  return call(
    emu,
    "POST",
    "/system/communication-channels/validate",
    { channel_type: "WEBHOOK", channel_identifier: id, event_type: "LIVEBOARD_SCHEDULE" },
    { token },
  );
}

describe("--release 26.8 (the default)", () => {
  it("has every endpoint and the webhook status", async () => {
    const { emu, token } = await admin("26.8");
    expect((await call(emu, "GET", "/webhooks/storage-config", undefined, { token })).status).toBe(200);
    expect((await createWebhook(emu, token)).status).toBe("ENABLED");
  });

  it("ignores a token request's scope and X-Org-Selector (26.10 Beta)", async () => {
    const emu = await emulator();
    const res = await call(emu, "POST", "/auth/token/full", { ...USERS.admin, scope: { org_scope: "ALL_MEMBER_ORGS" } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.scope).toEqual({ access_type: "FULL", org_id: 0, metadata_id: null });
    const me = await call(emu, "GET", "/auth/session/user", undefined, {
      token: res.body.token,
      headers: { "x-org-selector": "testOrg1" },
    });
    expect(me.body.current_org).toEqual({ id: 0, name: "Primary" });
  });
});

describe("--release 26.10: org-scoped tokens (Beta)", () => {
  async function scoped(body: Record<string, unknown>, user: { username: string; password: string } = USERS.admin) {
    const emu = await emulator({ release: "26.10" });
    const res = await call(emu, "POST", "/auth/token/full", { ...user, ...body });
    return { emu, res };
  }
  const me = (emu: Emulator, token: string, selector?: string) =>
    call(emu, "GET", "/auth/session/user", undefined, {
      token,
      ...(selector !== undefined && { headers: { "x-org-selector": selector } }),
    });

  it("accepts scope SPECIFIC_ORGS and answers org_scope and org_ids in the token's scope", async () => {
    const { emu, res } = await scoped({ scope: { org_scope: "SPECIFIC_ORGS", org_identifiers: ["testOrg", String(ORGS.testOrg1)] } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.scope).toEqual({
      access_type: "FULL",
      org_id: ORGS.testOrg,
      metadata_id: null,
      org_scope: "SPECIFIC_ORGS",
      org_ids: [
        { id: ORGS.testOrg, name: "testOrg" },
        { id: ORGS.testOrg1, name: "testOrg1" },
      ],
    });
    const v = await call(emu, "POST", "/auth/token/validate", { token: res.body.token }, { token: res.body.token });
    expect(v.body).toMatchObject({ token_type: "BEARER", scope: { org_scope: "SPECIFIC_ORGS", org_ids: res.body.scope.org_ids } });
  });

  it("lets X-Org-Selector choose the org of each request among the token's orgs, by id or name", async () => {
    const { emu, res } = await scoped({ scope: { org_scope: "SPECIFIC_ORGS", org_identifiers: ["testOrg", "testOrg1"] } });
    const token = res.body.token;
    expect((await me(emu, token)).body.current_org.name).toBe("testOrg");
    expect((await me(emu, token, "testOrg1")).body.current_org.name).toBe("testOrg1");
    expect((await me(emu, token, String(ORGS.testOrg1))).body.current_org.name).toBe("testOrg1");
    const hook = await createWebhook(emu, token, {}, { headers: { "x-org-selector": "testOrg1" } });
    expect(hook.org).toEqual({ id: String(ORGS.testOrg1), name: "testOrg1" });
  });

  it("answers 13090 for an org outside the token's set and 10002 for an unknown one", async () => {
    const { emu, res } = await scoped({ scope: { org_scope: "SPECIFIC_ORGS", org_identifiers: ["testOrg"] } });
    const outside = await me(emu, res.body.token, "Primary");
    expect(outside.status).toBe(400);
    expect(errorCode(outside.body)).toBe(13090);
    expect(debugText(outside.body)).toBe("User tsadmin do not have access to org 0");
    const unknown = await me(emu, res.body.token, "noSuchOrg");
    expect(errorCode(unknown.body)).toBe(10002);
    expect(debugText(unknown.body)).toBe("X-Org-Selector does not match a known org.");
  });

  it("authorizes ALL_MEMBER_ORGS for every org the user is a member of, starting in org_id when given", async () => {
    const { res } = await scoped({ org_id: ORGS.testOrg1, scope: { org_scope: "ALL_MEMBER_ORGS" } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.scope.org_id).toBe(ORGS.testOrg1);
    expect(res.body.scope.org_ids.map((o: { id: number }) => o.id)).toEqual([0, ORGS.testOrg, ORGS.testOrg1]);
  });

  it("needs org_identifiers for SPECIFIC_ORGS and a Tenant Administrator for any scope", async () => {
    const none = await scoped({ scope: { org_scope: "SPECIFIC_ORGS" } });
    expect(none.res.status).toBe(400);
    expect(debugText(none.res.body)).toBe("org_identifiers is required when org_scope is SPECIFIC_ORGS.");
    const dev = await scoped({ scope: { org_scope: "ALL_MEMBER_ORGS" } }, USERS.developer);
    expect(dev.res.status).toBe(400);
    expect(debugText(dev.res.body)).toBe("scope is only applicable to a Tenant Administrator.");
  });

  it("ignores X-Org-Selector on a legacy single-org token", async () => {
    const emu = await emulator({ release: "26.10" });
    const token = await login(emu, "admin", ORGS.testOrg);
    expect((await me(emu, token, "testOrg1")).body.current_org.name).toBe("testOrg");
  });
});

describe("--cloud gcp", () => {
  it("answers the GCP-hosted storage-config entries: GCP_TO_S3 and GCP_TO_GCS", async () => {
    const { emu, token } = await admin("26.8", { cloud: "gcp" });
    const res = await call(emu, "GET", "/webhooks/storage-config", undefined, { token });
    expect(res.status).toBe(200);
    expect(res.body.map((e: any) => [e.storage_type, e.provider, e.config.config_type])).toEqual([
      ["OBJECT_STORAGE", "AWS_S3", "GCP_TO_S3_STORAGE"],
      ["OBJECT_STORAGE", "GCP_GCS", "GCP_TO_GCS_STORAGE"],
    ]);
    const [s3, gcs] = res.body.map((e: any) => e.config);
    expect(s3.gcp_service_account_id).toMatch(/^[1-9]\d{20}$/);
    expect(s3.oidc_provider).toBe("accounts.google.com");
    expect(s3.trust_policy_template.Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::YOUR_AWS_ACCOUNT_ID:oidc-provider/accounts.google.com" },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { "accounts.google.com:sub": s3.gcp_service_account_id } },
    });
    expect(gcs.service_account_email).toMatch(/^[a-z0-9-]+@[a-z0-9-]+\.iam\.gserviceaccount\.com$/);
    expect(gcs.required_role).toBe("roles/iam.serviceAccountTokenCreator");
    for (const c of [s3, gcs]) expect(c.setup_instructions.length).toBeGreaterThan(2);
    // Stable across calls.
    expect((await call(emu, "GET", "/webhooks/storage-config", undefined, { token })).body).toEqual(res.body);
  });

  it("answers the AWS-hosted entry by default", async () => {
    const { emu, token } = await admin("26.8");
    const res = await call(emu, "GET", "/webhooks/storage-config", undefined, { token });
    expect(res.body.map((e: any) => e.config.config_type)).toEqual(["AWS_TO_S3_STORAGE"]);
  });
});

describe("the CLI's --release and --cloud", () => {
  it("stops with the valid releases for an unknown --release", async () => {
    const run = await runToExit(["--release", "26.3", "--in-memory", "--port", "0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--release must be one of 10.14, 26.4, 26.7, 26.8, 26.10");
  });

  it("starts with --release 26.4 --cloud gcp and says so", async () => {
    const cli = startCli(["--release", "26.4", "--cloud", "gcp", "--in-memory", "--port", "0"]);
    try {
      await cli.ready();
      // The banner's second line follows the "listening on" line.
      for (let i = 0; i < 100 && !cli.stdout().includes("release:"); i++) await sleep(50);
      expect(cli.stdout()).toContain("release: 26.4.0.cl (GCP-hosted)");
    } finally {
      await killAll();
    }
  });
});
