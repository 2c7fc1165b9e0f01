import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Emulator } from "../src/index.js";
import {
  call,
  closeReceivers,
  createWebhook,
  debugText,
  emulator,
  login,
  partsByName,
  S3_DESTINATION,
  startReceiver,
  tempDirs,
} from "./support/index.js";

const closers: (() => Promise<unknown>)[] = [];
const dirs = tempDirs("buckets-");
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await closeReceivers();
  dirs.removeAll();
});

async function setup(url: string, extra: Record<string, unknown> = {}, channels = ["WEBHOOK"]) {
  const emu = await emulator({ deliveryBackoffMs: [20, 20] });
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
    expect(req.headers["x-signature"]).toBe(createHmac("sha256", "s3cret").update(req.body).digest("hex"));
    const { payload, file } = partsByName(req);
    expect(payload.type).toBe("application/json");
    expect(file.type).toBe("application/pdf");
    const p = JSON.parse(payload.body);
    expect(p).toMatchObject({
      eventId: res.body.id,
      eventType: "LIVEBOARD_SCHEDULE",
      schemaVersion: "1.0",
      source: { applicationName: "ThoughtSpot", orgId: "2100019165" },
      actor: { actorType: "SYSTEM", id: null, name: null, email: null },
      metadataObject: { objectType: "LIVEBOARD", name: "Sales Overview" },
      data: {
        scheduleDetails: {
          scheduleId: res.body.event.id,
          runId: res.body.event.run_id,
          name: "Weekly Sales Review",
          fileFormat: "pdf",
          status: "SCHEDULED",
        },
        channelID: hookId,
        channelType: "webhook",
        communicationType: "LiveboardSchedules",
      },
    });
    expect(p.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(p.data.recipients.length).toBeGreaterThan(0);
    expect((await history(emu, token, hookId))[0]).toEqual(res.body);
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

  it("uploads the export to the bucket and sends the upload report as the file part", async () => {
    const rx = await startReceiver({ statuses: [200] });
    const { emu } = await setup(rx.url, { storage_destination: S3_DESTINATION });
    const res = await deliver(emu, { channel_identifier: "Ops hook", liveboard_name: "Pipeline Review", wait: true });
    expect(res.body.status).toBe("SUCCESS");
    const file = partsByName(rx.requests[0]).file;
    expect(file.type).toBe("application/json");
    const report = JSON.parse(file.body);
    expect(report.files).toEqual([
      expect.objectContaining({
        filename: "Pipeline_Review.pdf",
        provider: "AWS_S3",
        bucketName: "my-webhook-files",
        region: "us-east-1",
        uploadStatus: "SUCCESS",
        objectKey: expect.stringContaining(res.body.event.run_id),
      }),
    ]);
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
