import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  call,
  closeReceivers,
  createWebhook,
  debugText,
  emulator,
  errorCode,
  ISO_SECONDS,
  jobById,
  login,
  PLAIN_PAYLOAD_SHAPE,
  parseMultipart,
  partsByName,
  REPORT_SHAPES,
  S3_DESTINATION,
  STORAGE_PAYLOAD_SHAPE,
  shapeText,
  startReceiver,
  tempDirs,
  userId,
  validateOk,
  verifySignature,
} from "../support/index.js";

const ADMIN_ID = userId("tsadmin");

const VALIDATE = "/system/communication-channels/validate";
const ORG1 = 2100019165;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DETAIL_KEYS = ["validation_step", "status", "http_status", "error_message", "aws_s3_info"];
const RESPONSE_KEYS = ["channel_type", "channel_id", "channel_name", "event_type", "job_id", "result_code", "details"];

const cleanups: (() => Promise<void>)[] = [];
const dirs = tempDirs("validation-test-");
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await closeReceivers();
  dirs.removeAll();
});

/** The webhook these tests create is named "Receiver" unless told otherwise. */
const receiverHook = (body: Record<string, unknown>) => ({ name: "Receiver", ...body });

describe("the HTTP connection check against a real loopback receiver", () => {
  it("POSTs multipart/form-data with a payload JSON part and a PDF file part, url_params as query and the extra headers", async () => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(
      emu,
      token,
      receiverHook({
        url: rx.url,
        url_params: { a: "1" },
        additional_headers: [{ key: "X-Trace", value: "t1" }],
      }),
    );
    const res = await validateOk(emu, token, wh.id);
    expect(res).toEqual({
      channel_type: "WEBHOOK",
      channel_id: wh.id,
      channel_name: "Receiver",
      event_type: "LIVEBOARD_SCHEDULE",
      job_id: expect.stringMatching(/^n\.validation-[0-9a-f-]{36}$/),
      result_code: "SUCCESS",
      details: [{ validation_step: "HTTP_CONNECTION_CHECK", status: "SUCCESS", http_status: 200, error_message: null, aws_s3_info: null }],
    });
    expect(Object.keys(res)).toEqual(RESPONSE_KEYS);
    expect(Object.keys(res.details[0])).toEqual(DETAIL_KEYS);

    expect(rx.requests).toHaveLength(1);
    const req = rx.requests[0];
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/hook?a=1");
    expect(req.headers["x-trace"]).toBe("t1");
    expect(req.headers.authorization).toBeUndefined();
    const contentType = req.headers["content-type"]!;
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);

    const parts = parseMultipart(contentType, req.body);
    expect(parts.map((p) => p.name)).toEqual(["payload", "file"]);
    const [payloadPart, filePart] = parts;
    expect(payloadPart.headers["content-type"]).toBe("application/json");
    const payload = JSON.parse(payloadPart.body.toString("utf8"));
    expect(shapeText(payload)).toBe(PLAIN_PAYLOAD_SHAPE);
    expect(payload).toMatchObject({
      eventId: res.job_id,
      eventType: "LIVEBOARD_SCHEDULE",
      schemaVersion: "1.0",
      source: { applicationName: "ThoughtSpot", applicationUrl: emu.baseUrl, orgId: String(ORG1) },
      actor: { actorType: "SYSTEM" },
      metadataObject: { objectType: "LIVEBOARD", name: "Validation Liveboard (View: Team view)" },
      data: {
        scheduleDetails: { name: "Webhook validation", authorId: ADMIN_ID, userIds: [ADMIN_ID], fileFormat: "pdf", status: "SCHEDULED" },
        recipients: [{ type: "USER", id: ADMIN_ID, name: "Administrator", email: "tsadmin@example.com", locale: "en_US" }],
        channelType: "webhook",
        channelID: wh.id,
        communicationType: "LiveboardSchedules",
      },
    });
    expect(payload.timestamp).toMatch(ISO_SECONDS);
    expect(payload.data.msgUniqueId).toMatch(UUID);
    expect(filePart.filename).toBe("validation.pdf");
    expect(filePart.headers["content-type"]).toBe("application/pdf");
    expect(filePart.body.subarray(0, 4).toString("latin1")).toBe("%PDF");
  });

  it("sends an API_KEY as a header named by the key", async () => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(
      emu,
      token,
      receiverHook({ url: rx.url, authentication: { API_KEY: { key: "X-Api-Key", value: "k" } } }),
    );
    expect((await validateOk(emu, token, wh.id)).result_code).toBe("SUCCESS");
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0].headers["x-api-key"]).toBe("k");
    expect(rx.requests[0].headers.authorization).toBeUndefined();
  });

  it("sends BASIC_AUTH as Authorization: Basic base64(username:password)", async () => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(
      emu,
      token,
      receiverHook({
        url: rx.url,
        authentication: { BASIC_AUTH: { username: "user", password: "p@ss:word" } },
      }),
    );
    expect((await validateOk(emu, token, wh.id)).result_code).toBe("SUCCESS");
    expect(rx.requests[0].headers.authorization).toBe(`Basic ${Buffer.from("user:p@ss:word").toString("base64")}`);
  });

  it.each([
    ["abc", "Bearer abc"],
    ["Bearer abc", "Bearer abc"],
  ])("sends BEARER_TOKEN %j as Authorization %j, never doubling Bearer", async (configured, expected) => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url, authentication: { BEARER_TOKEN: configured } }));
    expect((await validateOk(emu, token, wh.id)).result_code).toBe("SUCCESS");
    expect(rx.requests[0].headers.authorization).toBe(expected);
  });

  it.each([
    ["hex", "body"],
    ["base64", "payload"],
    ["sha256=hex", "payload"],
  ] as const)("signs the test POST with --signature-scheme %s over the %s, as a receiver verifies it", async (scheme, part) => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator({ signatureScheme: scheme, signaturePart: part });
    const token = await login(emu, "admin", ORG1);
    const signature_verification = { type: "HMAC_SHA256", header: "X-Hub-Signature-256", algorithm: "SHA256", secret: "k3y" };
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url, signature_verification }));
    expect((await validateOk(emu, token, wh.id)).result_code).toBe("SUCCESS");
    const check = { header: "X-Hub-Signature-256", secret: "k3y", scheme, part };
    expect(verifySignature(rx.requests[0], check)).toBe(true);
    expect(verifySignature(rx.requests[0], { ...check, secret: "other" })).toBe(false);
  });

  it("signs the exact raw body with HMAC-SHA256 as lowercase hex in the configured header", async () => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(
      emu,
      token,
      receiverHook({
        url: rx.url,
        url_params: { a: "1" },
        additional_headers: [{ key: "X-Trace", value: "t1" }],
        signature_verification: { type: "HMAC_SHA256", header: "X-Signature", algorithm: "SHA256", secret: "s3cret" },
      }),
    );
    expect((await validateOk(emu, token, wh.id)).result_code).toBe("SUCCESS");
    const req = rx.requests[0];
    const expected = createHmac("sha256", "s3cret").update(req.body).digest("hex");
    expect(req.headers["x-signature"]).toBe(expected);
    expect(req.headers["x-signature"]).toMatch(/^[0-9a-f]{64}$/);
    expect(req.headers["x-trace"]).toBe("t1");
  });

  it("reports FAILED with the receiver's 500 and keeps a FAILED history job whose detail mentions 500", async () => {
    const rx = await startReceiver({ status: 500 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("FAILED");
    expect(res.details).toHaveLength(1);
    expect(res.details[0]).toEqual({
      validation_step: "HTTP_CONNECTION_CHECK",
      status: "FAILED",
      http_status: 500,
      error_message: expect.any(String),
      aws_s3_info: null,
    });
    expect(res.details[0].error_message).toContain("500");
    const j = await jobById(emu, token, res.job_id);
    expect(j).toEqual({
      id: res.job_id,
      status: "FAILED",
      creation_time_in_millis: expect.any(Number),
      event: { type: "LIVEBOARD_SCHEDULE", id: `validation-${wh.id}`, name: null, run_id: null },
      recipients: null,
      detail: expect.stringContaining("500"),
      try_count: 1,
    });
  });

  it("treats any 2xx as SUCCESS", async () => {
    const rx = await startReceiver({ status: 204 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("SUCCESS");
    expect(res.details[0]).toEqual({
      validation_step: "HTTP_CONNECTION_CHECK",
      status: "SUCCESS",
      http_status: 204,
      error_message: null,
      aws_s3_info: null,
    });
  });

  it("reports FAILED with http_status null and ECONNREFUSED when nothing listens on the port", async () => {
    const rx = await startReceiver({ status: 200 });
    await rx.close();
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("FAILED");
    expect(res.details).toEqual([
      {
        validation_step: "HTTP_CONNECTION_CHECK",
        status: "FAILED",
        http_status: null,
        error_message: expect.stringContaining("ECONNREFUSED"),
        aws_s3_info: null,
      },
    ]);
    const j = await jobById(emu, token, res.job_id);
    expect(j.status).toBe("FAILED");
    expect(j.detail).toContain("ECONNREFUSED");
  });

  it("reports FAILED with a timed-out error when the receiver never answers within the timeout", async () => {
    const rx = await startReceiver({ hang: true });
    const emu = await emulator({ validationTimeoutMs: 500 });
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url }));
    const started = Date.now();
    const res = await validateOk(emu, token, wh.id);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(res.result_code).toBe("FAILED");
    expect(res.details).toEqual([
      {
        validation_step: "HTTP_CONNECTION_CHECK",
        status: "FAILED",
        http_status: null,
        error_message: expect.stringContaining("timed out"),
        aws_s3_info: null,
      },
    ]);
    expect((await jobById(emu, token, res.job_id)).detail).toContain("timed out");
  });

  it("simulates a 200 for a non-loopback URL without any network call", async () => {
    const calls: string[] = [];
    const fakeFetch = (async (input: RequestInfo | URL) => {
      calls.push(String(input));
      throw new Error("network must not be used");
    }) as typeof fetch;
    const emu = await emulator({ fetch: fakeFetch });
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: "https://hooks.example.com/x" }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("SUCCESS");
    expect(res.details).toEqual([
      { validation_step: "HTTP_CONNECTION_CHECK", status: "SUCCESS", http_status: 200, error_message: null, aws_s3_info: null },
    ]);
    expect(calls).toEqual([]);
  });
});

describe("the storage upload check", () => {
  it("runs first with aws_s3_info, followed by the HTTP check with aws_s3_info null", async () => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url, storage_destination: S3_DESTINATION }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("SUCCESS");
    expect(res.details).toEqual([
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
    ]);
    const info = res.details[0].aws_s3_info;
    expect(Object.keys(info)).toEqual(["bucket_name", "file_name", "object_key"]);
    expect(info.object_key.endsWith(info.file_name)).toBe(true);
    for (const d of res.details) expect(Object.keys(d)).toEqual(DETAIL_KEYS);
    expect(rx.requests).toHaveLength(1);
    const j = await jobById(emu, token, res.job_id);
    expect(j.status).toBe("SUCCESS");
    expect(j.detail).toBe("");
  });

  it("sends the storage payload with the storage check's upload report as the test POST's file part", async () => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url, storage_destination: S3_DESTINATION }));
    const res = await validateOk(emu, token, wh.id);
    const { payload, file } = partsByName(rx.requests[0]);
    const p = JSON.parse(payload.body);
    expect(shapeText(p)).toBe(STORAGE_PAYLOAD_SHAPE);
    expect(p.metadataObject).toEqual({
      objectType: "LIVEBOARD",
      id: expect.stringMatching(UUID),
      name: "Validation Liveboard",
      url: `${emu.baseUrl}/#/pinboard/${p.metadataObject.id}`,
    });
    expect(file.type).toBe("application/json");
    const report = JSON.parse(file.body);
    expect(shapeText(report)).toBe(REPORT_SHAPES.s3);
    const info = res.details[0].aws_s3_info;
    expect(report.files[0]).toMatchObject({
      filename: info.file_name,
      contentType: "application/pdf",
      provider: "AWS_S3",
      bucketName: info.bucket_name,
      region: "us-east-1",
      objectKey: info.object_key,
      uploadStatus: "SUCCESS",
    });
  });

  it("puts the dummy file at <prefix>/cluster-<instance>/org-<org>/user-<caller>/liveboard/<file>, webhooks/ without a path_prefix", async () => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    const token = await login(emu, "developer", ORG1);
    const plain = await createWebhook(emu, token, receiverHook({ url: rx.url, storage_destination: S3_DESTINATION }));
    const res = await validateOk(emu, token, plain.id);
    const instance = JSON.parse(partsByName(rx.requests[0]).payload.body).source.instanceId;
    const dev = userId("developer");
    const { file_name, object_key } = res.details[0].aws_s3_info;
    expect(object_key).toBe(`webhooks/cluster-${instance}/org-${ORG1}/user-${dev}/liveboard/${file_name}`);
    const prefixed = structuredClone(S3_DESTINATION) as any;
    prefixed.storage_config.aws_s3_config.path_prefix = "/thoughtspot-webhooks/";
    await call(emu, "POST", `/webhooks/${plain.id}/update`, { storage_destination: prefixed }, { token });
    const again = await validateOk(emu, token, plain.id);
    expect(again.details[0].aws_s3_info.object_key).toBe(
      `thoughtspot-webhooks/cluster-${instance}/org-${ORG1}/user-${dev}/liveboard/${again.details[0].aws_s3_info.file_name}`,
    );
  });

  it("reports a failed storage check in the test POST's upload report", async () => {
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator();
    await call(emu, "PUT", "/_emulator/scenarios/active", {
      rules: [{ match: { hook: "validation.storage" }, outcome: { storage_error: "PUT_OBJECT_DENIED" } }],
    });
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url, storage_destination: S3_DESTINATION }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("PARTIAL_SUCCESS");
    const report = JSON.parse(partsByName(rx.requests[0]).file.body);
    expect(shapeText(report)).toBe(REPORT_SHAPES.failed);
    expect(report.files[0]).toMatchObject({ uploadStatus: "FAILED", errorMessage: res.details[0].error_message });
    expect(report.error).toBe(`all file uploads failed (1 files): ${res.details[0].error_message}`);
  });

  it("trims a stored path_prefix of a million slashes in linear time (the regex took ~7 s for 100k, minutes for 1M)", async () => {
    const fixtures = JSON.parse(readFileSync(new URL("../../fixtures/demo.json", import.meta.url), "utf8"));
    const slashes = "/".repeat(500_000);
    fixtures.webhooks[0].storage_destination.storage_config.aws_s3_config.path_prefix = `${slashes}exports${slashes}`;
    const emu = await emulator({ fixtures });
    const token = await login(emu, "admin", ORG1);
    const started = performance.now();
    const res = await validateOk(emu, token, fixtures.webhooks[0].id);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.details[0].aws_s3_info.object_key).toMatch(
      /^exports\/cluster-[^/]+\/org-\d+\/user-[^/]+\/liveboard\/validation_dummy_\d{8}_\d{6}\.pdf$/,
    );
  });

  it("names the dummy file after the emulator clock (UTC)", async () => {
    const emu = await emulator({ clockStart: Date.UTC(2026, 2, 30, 13, 10, 30) });
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: "https://hooks.example.com/x", storage_destination: S3_DESTINATION }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.details[0].aws_s3_info.file_name).toMatch(/^validation_dummy_20260330_1310(3\d)\.pdf$/);
  });

  it("writes the dummy PDF under <dataDir>/buckets/<namespace>/<bucket>/<object_key>", async () => {
    const dataDir = dirs.make();
    const rx = await startReceiver({ status: 200 });
    const emu = await emulator({ dataDir });
    cleanups.push(() => emu.close());
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url, storage_destination: S3_DESTINATION }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("SUCCESS");
    const { bucket_name, object_key } = res.details[0].aws_s3_info;
    expect(bucket_name).toBe("my-webhook-files");
    const file = join(dataDir, "buckets", "default", "my-webhook-files", object_key);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).subarray(0, 4).toString("latin1")).toBe("%PDF");
  });

  it("reports PARTIAL_SUCCESS when storage fails but HTTP passes, keeping the storage info and a FAILED job", async () => {
    const emu = await emulator();
    const put = await call(emu, "PUT", "/_emulator/scenarios/active", {
      name: "deny",
      rules: [{ match: { hook: "validation.storage" }, outcome: { storage_error: "PUT_OBJECT_DENIED" } }],
    });
    expect(put.status, put.text).toBe(200);
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: "https://hooks.example.com/x", storage_destination: S3_DESTINATION }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("PARTIAL_SUCCESS");
    const text = "Access denied. Ensure the IAM role has s3:PutObject permission on the target bucket.";
    expect(res.details).toEqual([
      {
        validation_step: "STORAGE_FILE_UPLOAD_CHECK",
        status: "FAILED",
        http_status: null,
        error_message: text,
        aws_s3_info: {
          bucket_name: "my-webhook-files",
          file_name: expect.stringMatching(/^validation_dummy_\d{8}_\d{6}\.pdf$/),
          object_key: expect.any(String),
        },
      },
      { validation_step: "HTTP_CONNECTION_CHECK", status: "SUCCESS", http_status: 200, error_message: null, aws_s3_info: null },
    ]);
    const j = await jobById(emu, token, res.job_id);
    expect(j.status).toBe("FAILED");
    expect(j.detail).toBe(`STORAGE_FILE_UPLOAD_CHECK (bucket: my-webhook-files): ${text}`);
  });
});

describe("mixed and other storage outcomes", () => {
  it("reports FAILED when both the storage and the HTTP check fail, listing both errors in the job detail", async () => {
    const rx = await startReceiver({ status: 200 });
    await rx.close();
    const emu = await emulator();
    const put = await call(emu, "PUT", "/_emulator/scenarios/active", {
      name: "deny",
      rules: [{ match: { hook: "validation.storage" }, outcome: { storage_error: "PUT_OBJECT_DENIED" } }],
    });
    expect(put.status, put.text).toBe(200);
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: rx.url, storage_destination: S3_DESTINATION }));
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("FAILED");
    expect(res.details.map((d: { validation_step: string; status: string }) => [d.validation_step, d.status])).toEqual([
      ["STORAGE_FILE_UPLOAD_CHECK", "FAILED"],
      ["HTTP_CONNECTION_CHECK", "FAILED"],
    ]);
    expect(res.details[0].aws_s3_info.bucket_name).toBe("my-webhook-files");
    const j = await jobById(emu, token, res.job_id);
    expect(j.status).toBe("FAILED");
    expect(j.detail).toContain("STORAGE_FILE_UPLOAD_CHECK (bucket: my-webhook-files): Access denied.");
    expect(j.detail).toContain("ECONNREFUSED");
  });

  it("reports a GCS destination's object in gcp_gcs_info with aws_s3_info null", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(
      emu,
      token,
      receiverHook({
        url: "https://hooks.example.com/x",
        storage_destination: {
          storage_type: "GCP_GCS",
          storage_config: { gcp_gcs_config: { bucket_name: "gcs-files", service_account_email: "ts@proj.iam.gserviceaccount.com" } },
        },
      }),
    );
    const res = await validateOk(emu, token, wh.id);
    expect(res.result_code).toBe("SUCCESS");
    expect(res.details[0]).toEqual({
      validation_step: "STORAGE_FILE_UPLOAD_CHECK",
      status: "SUCCESS",
      http_status: null,
      error_message: null,
      aws_s3_info: null,
      gcp_gcs_info: {
        bucket_name: "gcs-files",
        file_name: expect.stringMatching(/^validation_dummy_\d{8}_\d{6}\.pdf$/),
        object_key: expect.any(String),
      },
    });
    expect(res.details[1].validation_step).toBe("HTTP_CONNECTION_CHECK");
  });
});

describe("validate request handling", () => {
  it("answers 400 for an unknown webhook", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const res = await call(
      emu,
      "POST",
      VALIDATE,
      { channel_type: "WEBHOOK", channel_identifier: "3791ad80-70e8-4222-bf11-fb8a5f1b5bf4", event_type: "LIVEBOARD_SCHEDULE" },
      { token },
    );
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toBe("Webhook with the specified channel_identifier was not found.");
  });

  it("does not find a webhook of another org", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: "https://hooks.example.com/x" }));
    const other = await login(emu, "admin", 1532970882);
    const res = await call(
      emu,
      "POST",
      VALIDATE,
      { channel_type: "WEBHOOK", channel_identifier: wh.id, event_type: "LIVEBOARD_SCHEDULE" },
      { token: other },
    );
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toBe("Webhook with the specified channel_identifier was not found.");
  });

  it("accepts the webhook name as channel_identifier", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, { name: "Zapier", url: "https://hooks.example.com/x" });
    const res = await validateOk(emu, token, "Zapier");
    expect(res.channel_id).toBe(wh.id);
    expect(res.channel_name).toBe("Zapier");
    expect(res.result_code).toBe("SUCCESS");
  });

  it("issues a fresh n.validation-<uuid> job id per run, each findable in history", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: "https://hooks.example.com/x" }));
    const first = await validateOk(emu, token, wh.id);
    const second = await validateOk(emu, token, wh.id);
    expect(first.job_id).toMatch(/^n\.validation-[0-9a-f-]{36}$/);
    expect(second.job_id).toMatch(/^n\.validation-[0-9a-f-]{36}$/);
    expect(first.job_id.slice("n.validation-".length)).toMatch(UUID);
    expect(second.job_id).not.toBe(first.job_id);
    expect((await jobById(emu, token, first.job_id)).id).toBe(first.job_id);
    expect((await jobById(emu, token, second.job_id)).id).toBe(second.job_id);
  });

  it.each([
    ["channel_type", { channel_type: "EMAIL", channel_identifier: "x", event_type: "LIVEBOARD_SCHEDULE" }],
    ["channel_identifier", { channel_type: "WEBHOOK", event_type: "LIVEBOARD_SCHEDULE" }],
    ["event_type", { channel_type: "WEBHOOK", channel_identifier: "x", event_type: "USER_SIGNUP" }],
    ["event_type", { channel_type: "WEBHOOK", channel_identifier: "x" }],
  ])("answers 400 naming %s when it is missing or invalid", async (field, body) => {
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const res = await call(emu, "POST", VALIDATE, body, { token });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe(10002);
    expect(debugText(res.body)).toContain(field);
  });

  it("ignores unknown body fields", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, receiverHook({ url: "https://hooks.example.com/x" }));
    const res = await call(
      emu,
      "POST",
      VALIDATE,
      { channel_type: "WEBHOOK", channel_identifier: wh.id, event_type: "LIVEBOARD_SCHEDULE", dry_run: true },
      { token },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.result_code).toBe("SUCCESS");
  });

  it("lets a webhook manager validate and forbids an analyst with 403 10023", async () => {
    const emu = await emulator();
    const admin = await login(emu, "admin");
    await createWebhook(emu, admin, { name: "Zapier", url: "https://hooks.example.com/x" });
    const manager = await login(emu, "webhookManager");
    expect((await validateOk(emu, manager, "Zapier")).result_code).toBe("SUCCESS");
    const analyst = await login(emu, "analyst");
    const res = await call(
      emu,
      "POST",
      VALIDATE,
      { channel_type: "WEBHOOK", channel_identifier: "Zapier", event_type: "LIVEBOARD_SCHEDULE" },
      { token: analyst },
    );
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe(10023);
  });
});
