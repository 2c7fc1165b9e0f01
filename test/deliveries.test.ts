import { afterEach, describe, expect, it } from "vitest";
import type { Emulator, EmulatorOptions } from "../src/index.js";
import {
  call,
  closeReceivers,
  createWebhook,
  debugText,
  emulator,
  FIXTURES,
  frozenClock,
  ISO_SECONDS,
  login,
  PLAIN_PAYLOAD_SHAPE,
  partsByName,
  REPORT_SHAPES,
  S3_DESTINATION,
  STORAGE_PAYLOAD_SHAPE,
  shapeText,
  startReceiver,
  tempDirs,
  userId,
  verifySignature,
} from "./support/index.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ADMIN_ID = userId("tsadmin");
const GCS_DESTINATION = {
  storage_type: "GCP_GCS",
  storage_config: {
    gcp_gcs_config: { bucket_name: "my-gcs-files", service_account_email: "sa@p.iam.gserviceaccount.com", path_prefix: "thoughtspot/" },
  },
};

const closers: (() => Promise<unknown>)[] = [];
const dirs = tempDirs("buckets-");
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await closeReceivers();
  dirs.removeAll();
});

async function setup(url: string, extra: Record<string, unknown> = {}, channels = ["WEBHOOK"], options: EmulatorOptions = {}) {
  const emu = await emulator({ deliveryBackoffMs: [20, 20], ...options });
  closers.push(() => emu.close());
  const token = await login(emu, "admin", 2100019165);
  await call(
    emu,
    "POST",
    "/system/preferences/communication-channels/configure",
    {
      org_preferences: [{ org_identifier: "testOrg1", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels }] }],
    },
    { token },
  );
  const hook = await createWebhook(emu, token, {
    name: "Ops hook",
    url,
    events: ["LIVEBOARD_SCHEDULE"],
    signature_verification: { type: "HMAC_SHA256", header: "X-Signature", algorithm: "SHA256", secret: "s3cret" },
    authentication: { BEARER_TOKEN: "tok" },
    url_params: { src: "ts" },
    ...extra,
  });
  return { emu, token, hookId: hook.id as string };
}

const deliver = (emu: Emulator, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(emu, "POST", "/_emulator/deliveries", body, { headers });

async function history(emu: Emulator, token: string, hookId: string) {
  const res = await call(
    emu,
    "POST",
    "/jobs/history/communication-channels/search",
    { channel_type: "WEBHOOK", channel_identifiers: [hookId], events: [{ type: "LIVEBOARD_SCHEDULE" }] },
    { token },
  );
  return res.body.jobs;
}

describe("emulated Liveboard schedule deliveries", () => {
  it("POSTs a signed multipart delivery to the receiver and records a SUCCESS job", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu, token, hookId } = await setup(rx.url);
    const res = await deliver(emu, { channel_identifier: "Ops hook", schedule_name: "Weekly Sales Review", wait: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "SUCCESS",
      try_count: 1,
      detail: "",
      event: { type: "LIVEBOARD_SCHEDULE", name: "Weekly Sales Review" },
    });
    expect(rx.requests).toHaveLength(1);
    const [req] = rx.requests;
    expect(req.url).toBe("/hook?src=ts");
    expect(req.headers.authorization).toBe("Bearer tok");
    expect(verifySignature(req, { header: "X-Signature", secret: "s3cret", scheme: "hex", part: "body" })).toBe(true);
    const { payload, file } = partsByName(req);
    expect(payload.type).toBe("application/json");
    expect(file.type).toBe("application/pdf");
    expect(JSON.parse(payload.body)).toMatchObject({ eventId: res.body.id, data: { channelID: hookId } });
    expect((await history(emu, token, hookId))[0]).toEqual(res.body);
  });

  it("sends every field of the documented plain payload, filled from the org, webhook, schedule, run, recipients, Liveboard and clock", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const clock = frozenClock();
    const { emu, hookId } = await setup(rx.url, {}, ["WEBHOOK"], { clock });
    clock.advance(60_000);
    const res = await deliver(emu, { channel_identifier: "Ops hook", schedule_name: "Weekly Sales Review", wait: true });
    const { payload, file } = partsByName(rx.requests[0]);
    const p = JSON.parse(payload.body);
    expect(shapeText(p)).toBe(PLAIN_PAYLOAD_SHAPE);
    const lb = p.metadataObject.id;
    const view = p.data.viewInfo;
    const members = FIXTURES.users.filter((u: any) => u.orgs.includes("2100019165")).slice(0, 3);
    expect(p).toEqual({
      eventId: res.body.id,
      timestamp: "2026-02-26T09:01:00Z",
      eventType: "LIVEBOARD_SCHEDULE",
      schemaVersion: "1.0",
      source: { applicationName: "ThoughtSpot", applicationUrl: emu.baseUrl, instanceId: expect.stringMatching(UUID), orgId: "2100019165" },
      actor: { actorType: "SYSTEM" },
      metadataObject: {
        objectType: "LIVEBOARD",
        id: expect.stringMatching(UUID),
        name: "Sales Overview (View: Team view)",
        url: `${emu.baseUrl}/?utm_source=scheduled-pinboard&utm_medium=email#/pinboard/${lb}?view=${view.viewId}`,
      },
      data: {
        scheduleDetails: {
          scheduleId: res.body.event.id,
          name: "Weekly Sales Review",
          creationTime: "2026-02-26T09:00:00Z",
          description: "Scheduled delivery of Sales Overview",
          authorId: ADMIN_ID,
          viewInfo: { viewId: expect.stringMatching(UUID), viewName: "Team view" },
          userIds: members.map((u: any) => u.id),
          groupIds: [],
          runId: res.body.event.run_id,
          exportRequest: {
            object_type: "LIVEBOARD",
            pdf_params: { orientation: "LANDSCAPE", page_size: "A4" },
            liveboard_params: {
              layout_type: "VISUALIZATION",
              personalised_view_id: view.viewId,
              liveboard_viz_selection: {
                complete_liveboard: false,
                included_viz_id: [expect.stringMatching(UUID), expect.stringMatching(UUID)],
              },
              print_document_params: {
                include_cover_page: true,
                include_filter_page: true,
                pageFooterParams: { include_logo: true, include_page_number: true, text: "Weekly Sales Review" },
              },
              visualization_format_options: { truncate_tables: true },
            },
            request_type: "SCHEDULE",
          },
          fileFormat: "pdf",
          status: "SCHEDULED",
          emailIds: [],
        },
        recipients: members.map((u: any) => ({ type: "USER", id: u.id, name: u.display_name, email: u.email, locale: "en_US" })),
        viewInfo: p.data.scheduleDetails.viewInfo,
        aiHighlights: "",
        msgUniqueId: expect.stringMatching(UUID),
        channelID: hookId,
        channelType: "webhook",
        communicationType: "LiveboardSchedules",
      },
    });
    expect(p.timestamp).toMatch(ISO_SECONDS);
    expect(res.body.recipients).toEqual(members.map((u: any) => ({ type: "USER", id: u.id, name: u.display_name, email: u.email })));
    expect(file.body.startsWith("%PDF")).toBe(true);
  });

  it("keeps the Liveboard, view and instance ids of a schedule across runs, with a fresh msgUniqueId per run and the same one on every try", async () => {
    const rx = await startReceiver({ statuses: [503, 200] });
    const { emu } = await setup(rx.url);
    await deliver(emu, { channel_identifier: "Ops hook", wait: true });
    await deliver(emu, { channel_identifier: "Ops hook", wait: true });
    const [a1, a2, b] = rx.requests.map((r) => JSON.parse(partsByName(r).payload.body));
    expect(a1).toEqual(a2);
    expect(b.metadataObject).toEqual(a1.metadataObject);
    expect(b.source.instanceId).toBe(a1.source.instanceId);
    expect(b.data.msgUniqueId).not.toBe(a1.data.msgUniqueId);
    expect(b.data.scheduleDetails.runId).not.toBe(a1.data.scheduleDetails.runId);
  });

  it("lists users in userIds and external recipients in emailIds, with their locale (en_US unless given)", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url);
    const recipients = [
      { type: "USER", id: ADMIN_ID, name: "tsadmin", email: "tsadmin@example.com", locale: "en_GB" },
      { type: "EXTERNAL", email: "partner@example.org" },
    ];
    const res = await deliver(emu, { channel_identifier: "Ops hook", recipients, wait: true });
    expect(res.body.recipients).toEqual([
      { type: "USER", id: ADMIN_ID, name: "tsadmin", email: "tsadmin@example.com" },
      { type: "EXTERNAL", id: null, name: null, email: "partner@example.org" },
    ]);
    const p = JSON.parse(partsByName(rx.requests[0]).payload.body);
    expect(p.data.recipients).toEqual([
      { type: "USER", id: ADMIN_ID, name: "tsadmin", email: "tsadmin@example.com", locale: "en_GB" },
      { type: "EXTERNAL_EMAIL", id: null, name: null, email: "partner@example.org", locale: "en_US" },
    ]);
    expect(p.data.scheduleDetails.userIds).toEqual([ADMIN_ID]);
    expect(p.data.scheduleDetails.emailIds).toEqual(["partner@example.org"]);
  });

  it("leaves the view out of a plain delivery with view_name null and carries ai_highlights", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url);
    await deliver(emu, { channel_identifier: "Ops hook", view_name: null, ai_highlights: "Sales rose 15%", wait: true });
    const p = JSON.parse(partsByName(rx.requests[0]).payload.body);
    expect(p.metadataObject.name).toBe("Sales Overview");
    expect(p.metadataObject.url).toBe(`${emu.baseUrl}/?utm_source=scheduled-pinboard&utm_medium=email#/pinboard/${p.metadataObject.id}`);
    expect(p.data).not.toHaveProperty("viewInfo");
    expect(p.data.scheduleDetails).not.toHaveProperty("viewInfo");
    expect(p.data.scheduleDetails.exportRequest.liveboard_params).not.toHaveProperty("personalised_view_id");
    expect(p.data.aiHighlights).toBe("Sales rose 15%");
  });

  it("retries a failing receiver and ends SUCCESS on the third try", async () => {
    const rx = await startReceiver({ statuses: [503, 503, 200] });
    const { emu, token, hookId } = await setup(rx.url);
    const res = await deliver(emu, { channel_identifier: hookId, wait: true });
    expect(res.body).toMatchObject({ status: "SUCCESS", try_count: 3, detail: "" });
    expect(rx.requests).toHaveLength(3);
    // every try carries the same event
    expect(new Set(rx.requests.map((r) => JSON.parse(partsByName(r).payload.body).eventId))).toEqual(new Set([res.body.id]));
    expect((await history(emu, token, hookId)).map((j: any) => j.status)).toEqual(["SUCCESS"]);
  });

  it("ends FAILED after three tries with the receiver's last status as detail", async () => {
    const rx = await startReceiver({ statuses: [500] });
    const { emu } = await setup(rx.url);
    const res = await deliver(emu, { channel_identifier: "Ops hook", wait: true });
    expect(res.body).toMatchObject({ status: "FAILED", try_count: 3, detail: "HTTP 500 Internal Server Error" });
    expect(rx.requests).toHaveLength(3);
  });

  it("answers at once with a PENDING job and shows RETRY while it waits for another try", async () => {
    const rx = await startReceiver({ statuses: [503, 200] });
    const emu = await emulator({ deliveryBackoffMs: [300] });
    closers.push(() => emu.close());
    const token = await login(emu, "admin", 2100019165);
    await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/configure",
      { cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
      { token },
    );
    const hook = await call(emu, "POST", "/webhooks/create", { name: "H", url: rx.url, events: ["LIVEBOARD_SCHEDULE"] }, { token });
    const res = await deliver(emu, { channel_identifier: "H" });
    expect(res.body).toMatchObject({ status: "PENDING", try_count: 0, detail: null });
    const seen: string[] = [];
    for (let i = 0; i < 200 && seen.at(-1) !== "SUCCESS"; i++) {
      const [job] = await history(emu, token, hook.body.id);
      if (seen.at(-1) !== job.status) seen.push(job.status);
      if (job.status === "RETRY") expect(job).toMatchObject({ id: res.body.id, try_count: 1, detail: "HTTP 503 Service Unavailable" });
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen.filter((s) => s !== "PENDING")).toEqual(["RETRY", "SUCCESS"]);
    expect((await history(emu, token, hook.body.id))[0]).toMatchObject({ id: res.body.id, status: "SUCCESS", try_count: 2 });
  });

  it("follows delivery.attempt scenario outcomes instead of the receiver", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url);
    const res = await deliver(emu, { channel_identifier: "Ops hook", wait: true }, { "x-emulator-scenario": "webhook-unreachable" });
    expect(res.body).toMatchObject({
      status: "FAILED",
      try_count: 3,
      detail: expect.stringMatching(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/),
    });
    expect(rx.requests).toHaveLength(0);
  });

  it("sends every field of the documented storage payload and the upload report of the export put in the bucket", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu, hookId } = await setup(rx.url, { storage_destination: S3_DESTINATION });
    const res = await deliver(emu, { channel_identifier: "Ops hook", liveboard_name: "Pipeline Review", wait: true });
    expect(res.body.status).toBe("SUCCESS");
    const { payload, file } = partsByName(rx.requests[0]);
    const p = JSON.parse(payload.body);
    expect(shapeText(p)).toBe(STORAGE_PAYLOAD_SHAPE);
    expect(p).toMatchObject({
      actor: { actorType: "SYSTEM" },
      metadataObject: { objectType: "LIVEBOARD", name: "Pipeline Review", url: `${emu.baseUrl}/#/pinboard/${p.metadataObject.id}` },
      data: {
        scheduleDetails: { exportRequest: { object_type: "LIVEBOARD", request_type: "SCHEDULE" }, fileFormat: "pdf", status: "SCHEDULED" },
        aiHighlights: "",
        channelID: hookId,
        channelType: "webhook",
        communicationType: "LiveboardSchedules",
      },
    });
    expect(file.type).toBe("application/json");
    const report = JSON.parse(file.body);
    expect(shapeText(report)).toBe(REPORT_SHAPES.s3);
    const key = `webhooks/cluster-${p.source.instanceId}/org-2100019165/user-${ADMIN_ID}/liveboard/Pipeline_Review.pdf`;
    expect(report).toEqual({
      files: [
        {
          filename: "Pipeline_Review.pdf",
          contentType: "application/pdf",
          size: expect.any(Number),
          provider: "AWS_S3",
          bucketName: "my-webhook-files",
          region: "us-east-1",
          objectKey: key,
          uploadStatus: "SUCCESS",
        },
      ],
    });
    const listed = await call(emu, "GET", "/_emulator/buckets");
    expect(listed.body.objects).toEqual([{ bucket: "my-webhook-files", key, size: report.files[0].size }]);
  });

  it("puts a GCS export under its path_prefix with no region in the report, user before org with --object-key-layout user-org", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url, { storage_destination: GCS_DESTINATION }, ["WEBHOOK"], { objectKeyLayout: "user-org" });
    await deliver(emu, { channel_identifier: "Ops hook", wait: true });
    const { payload, file } = partsByName(rx.requests[0]);
    const instance = JSON.parse(payload.body).source.instanceId;
    const report = JSON.parse(file.body);
    expect(shapeText(report)).toBe(REPORT_SHAPES.gcs);
    expect(report.files[0]).toMatchObject({
      provider: "GCP_GCS",
      bucketName: "my-gcs-files",
      objectKey: `thoughtspot/cluster-${instance}/user-${ADMIN_ID}/org-2100019165/liveboard/Sales_Overview.pdf`,
    });
  });

  it("schedules a personalised view in a storage delivery when view_name is given", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url, { storage_destination: S3_DESTINATION });
    await deliver(emu, { channel_identifier: "Ops hook", view_name: "EMEA", wait: true });
    const p = JSON.parse(partsByName(rx.requests[0]).payload.body);
    expect(p.data.viewInfo).toEqual({ viewId: expect.stringMatching(UUID), viewName: "EMEA" });
    expect(p.data.scheduleDetails.viewInfo).toEqual(p.data.viewInfo);
    expect(p.metadataObject.name).toBe("Sales Overview (View: EMEA)");
    expect(p.metadataObject.url).toBe(`${emu.baseUrl}/#/pinboard/${p.metadataObject.id}?view=${p.data.viewInfo.viewId}`);
  });

  it.each([
    ["PUT_OBJECT_DENIED", "failed", "Failed to upload to S3: AccessDenied: Access Denied"],
    ["ASSUME_ROLE_DENIED", "failed", "Failed to assume role: AccessDenied"],
    ["STORAGE_SERVICE_FAILED", "unreachable", null],
  ] as const)("reports a %s upload in the documented failure shape and still delivers the event", async (kind, shape, message) => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url, { storage_destination: S3_DESTINATION });
    const put = await call(emu, "PUT", "/_emulator/scenarios/active", {
      rules: [{ match: { hook: "delivery.storage", storage_type: "AWS_S3" }, outcome: { storage_error: kind } }],
    });
    expect(put.status, put.text).toBe(200);
    const res = await deliver(emu, { channel_identifier: "Ops hook", wait: true });
    expect(res.body.status).toBe("SUCCESS");
    const report = JSON.parse(partsByName(rx.requests[0]).file.body);
    expect(shapeText(report)).toBe(REPORT_SHAPES[shape]);
    if (message) {
      expect(report.files[0]).toMatchObject({
        filename: "Sales_Overview.pdf",
        provider: "AWS_S3",
        uploadStatus: "FAILED",
        errorMessage: message,
      });
      expect(report.error).toBe(`all file uploads failed (1 files): ${message}`);
    } else {
      expect(report.error).toMatch(/^cloud storage upload failed: failed to create cloud storage service: Unable to assume role/);
    }
    expect((await call(emu, "GET", "/_emulator/buckets")).body.objects).toEqual([]);
  });

  it("keeps one schedule id per schedule name and a fresh run id per run", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url);
    const a = await deliver(emu, { channel_identifier: "Ops hook", schedule_name: "Daily KPIs", wait: true });
    const b = await deliver(emu, { channel_identifier: "Ops hook", schedule_name: "Daily KPIs", wait: true });
    const c = await deliver(emu, { channel_identifier: "Ops hook", schedule_name: "Other", wait: true });
    expect(a.body.event.id).toBe(b.body.event.id);
    expect(a.body.event.id).not.toBe(c.body.event.id);
    expect(a.body.event.run_id).not.toBe(b.body.event.run_id);
    expect(a.body.id).toMatch(/^n\.[0-9a-f-]{36}$/);
  });

  it("refuses to deliver when WEBHOOK is not among the org's channels, or the webhook is disabled", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu, token, hookId } = await setup(rx.url, {}, ["EMAIL"]);
    const off = await deliver(emu, { channel_identifier: hookId });
    expect(off.status).toBe(400);
    expect(debugText(off.body)).toContain("WEBHOOK is not among the LIVEBOARD_SCHEDULE channels of org 'testOrg1'");
    await call(
      emu,
      "POST",
      "/system/preferences/communication-channels/configure",
      { org_preferences: [{ org_identifier: "testOrg1", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] }] },
      { token },
    );
    await call(emu, "POST", `/webhooks/${hookId}/update`, { status: "DISABLED" }, { token });
    const disabled = await deliver(emu, { channel_identifier: hookId });
    expect(debugText(disabled.body)).toContain("is DISABLED");
    expect(rx.requests).toHaveLength(0);
  });
});

describe("delivery retries on the emulator clock", () => {
  const advance = (emu: Emulator, ms: number) => call(emu, "POST", "/_emulator/clock", { advance_ms: ms });
  const onlyJob = async (emu: Emulator, token: string, hookId: string) => (await history(emu, token, hookId))[0];

  it("with a frozen clock makes the next try only once the clock is moved past its backoff, through RETRY to FAILED in milliseconds", async () => {
    const rx = await startReceiver({ statuses: [503] });
    const { emu, token, hookId } = await setup(rx.url, {}, ["WEBHOOK"], { clock: frozenClock(), deliveryBackoffMs: [1000, 2000] });
    const started = performance.now();
    const first = await deliver(emu, { channel_identifier: hookId, wait: true });
    // `wait` comes back once the delivery waits for the clock
    expect(first.body).toMatchObject({ status: "RETRY", try_count: 1, detail: "HTTP 503 Service Unavailable" });
    await new Promise((r) => setTimeout(r, 50));
    expect(rx.requests).toHaveLength(1);
    await advance(emu, 999);
    expect(rx.requests).toHaveLength(1);
    expect(await onlyJob(emu, token, hookId)).toMatchObject({ status: "RETRY", try_count: 1 });
    await advance(emu, 1);
    expect(rx.requests).toHaveLength(2);
    expect(await onlyJob(emu, token, hookId)).toMatchObject({ status: "RETRY", try_count: 2 });
    await advance(emu, 1999);
    expect(rx.requests).toHaveLength(2);
    await advance(emu, 1);
    expect(rx.requests).toHaveLength(3);
    expect(await onlyJob(emu, token, hookId)).toMatchObject({ status: "FAILED", try_count: 3, detail: "HTTP 503 Service Unavailable" });
    // The waits were 1 s and 2 s of real time before retries waited on the emulator clock.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("with a frozen clock makes every due try at once when the clock jumps past all of them", async () => {
    const rx = await startReceiver({ statuses: [500, 500, 200] });
    const { emu, token, hookId } = await setup(rx.url, {}, ["WEBHOOK"], { clock: frozenClock(), deliveryBackoffMs: [1000, 2000] });
    await deliver(emu, { channel_identifier: hookId, wait: true });
    await advance(emu, 60_000);
    expect(rx.requests).toHaveLength(3);
    expect(await onlyJob(emu, token, hookId)).toMatchObject({ status: "SUCCESS", try_count: 3, detail: "" });
  });

  it("stops a delivery waiting on the frozen clock when its namespace is reset", async () => {
    const rx = await startReceiver({ statuses: [503] });
    const { emu } = await setup(rx.url, {}, ["WEBHOOK"], { clock: frozenClock() });
    await deliver(emu, { channel_identifier: "Ops hook", wait: true });
    expect(rx.requests).toHaveLength(1);
    await emu.reset();
    await advance(emu, 60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(rx.requests).toHaveLength(1);
  });
});

describe("delivery signatures", () => {
  const SCHEMES = ["hex", "base64", "sha256=hex"] as const;
  const PARTS = ["body", "payload"] as const;
  const cases = SCHEMES.flatMap((scheme) => PARTS.map((part) => [scheme, part] as const));

  it.each(cases)("signs with --signature-scheme %s over the %s, verifiable by a receiver holding the secret", async (scheme, part) => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url, {}, ["WEBHOOK"], { signatureScheme: scheme, signaturePart: part });
    await deliver(emu, { channel_identifier: "Ops hook", wait: true });
    const [req] = rx.requests;
    const check = { header: "X-Signature", secret: "s3cret", scheme, part };
    expect(verifySignature(req, check)).toBe(true);
    expect(verifySignature(req, { ...check, secret: "wrong" })).toBe(false);
    expect(verifySignature(req, { ...check, part: part === "body" ? "payload" : "body" })).toBe(false);
    const tampered = Buffer.from(req.body);
    tampered[tampered.indexOf("eventId")] ^= 1;
    expect(verifySignature({ ...req, body: tampered }, check)).toBe(false);
  });

  it("writes the hex scheme as 64 lowercase hex digits, base64 as 44 characters and sha256=hex with its prefix", async () => {
    const seen: Record<string, string> = {};
    for (const scheme of SCHEMES) {
      const rx = await startReceiver({ statuses: [200] });
      const { emu } = await setup(rx.url, {}, ["WEBHOOK"], { signatureScheme: scheme });
      await deliver(emu, { channel_identifier: "Ops hook", wait: true });
      seen[scheme] = String(rx.requests[0].headers["x-signature"]);
    }
    expect(seen.hex).toMatch(/^[0-9a-f]{64}$/);
    expect(seen.base64).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(seen["sha256=hex"]).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe("GET /_emulator/buckets", () => {
  it("lists the objects storage checks put in the local buckets, in memory and on disk", async () => {
    for (const dataDir of [null, dirs.make()]) {
      const emu = await emulator({ dataDir });
      closers.push(() => emu.close());
      const token = await login(emu, "admin", 2100019165);
      const hook = await call(
        emu,
        "POST",
        "/webhooks/create",
        { name: "S", url: "https://hooks.example.com/s", events: ["LIVEBOARD_SCHEDULE"], storage_destination: S3_DESTINATION },
        { token },
      );
      const val = await call(
        emu,
        "POST",
        "/system/communication-channels/validate",
        { channel_type: "WEBHOOK", channel_identifier: hook.body.id, event_type: "LIVEBOARD_SCHEDULE" },
        { token },
      );
      const info = val.body.details[0].aws_s3_info;
      const listed = await call(emu, "GET", "/_emulator/buckets");
      expect(listed.status).toBe(200);
      expect(listed.body.objects).toEqual([{ bucket: "my-webhook-files", key: info.object_key, size: expect.any(Number) }]);
      expect(listed.body.objects[0].size).toBeGreaterThan(100);
    }
  });
});
