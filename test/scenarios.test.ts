import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import {
  type CallOptions,
  call,
  createWebhook,
  debugText,
  emulator,
  errorCode,
  jobById,
  login,
  S3_DESTINATION,
  tempDirs,
  validate,
  WEBHOOK,
} from "./support/index.js";

const ROLE = "arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole";
const ASSUME_ROLE_RE = new RegExp(
  `^failed to assume role '${ROLE}': operation error STS: AssumeRole, https response error StatusCode: 403, ` +
    `RequestID: [0-9a-f-]{36}, api error AccessDenied: User: arn:aws:sts::\\d{12}:assumed-role/cell-([0-9a-f]{8})-coms-lambda-role/` +
    `cell-\\1-coms-api is not authorized to perform: sts:AssumeRole on resource: ${ROLE}\\. ` +
    `Ensure the role's trust policy allows ThoughtSpot and the External ID matches$`,
);

async function setup(opts: Parameters<typeof emulator>[0] = {}, storage = true) {
  const emu = await emulator(opts);
  const token = await login(emu, "admin", 2100019165);
  const wh = await createWebhook(emu, token, storage ? { storage_destination: S3_DESTINATION } : {});
  return { emu, token, webhookId: wh.id as string };
}

const dirs = tempDirs("scen-");
afterAll(() => dirs.removeAll());

/** Call options naming a scenario for this one request (X-Emulator-Scenario). */
const withScenario = (name: string): CallOptions => ({ headers: { "x-emulator-scenario": name } });

describe("built-in scenarios", () => {
  it("aws-assume-role-denied makes validation PARTIAL_SUCCESS with the real STS error and a FAILED job", async () => {
    const { emu, token, webhookId } = await setup();
    const res = await validate(emu, token, webhookId, withScenario("aws-assume-role-denied"));
    expect(res.status).toBe(200);
    expect(res.body.result_code).toBe("PARTIAL_SUCCESS");
    const [storage, http] = res.body.details;
    expect(storage.validation_step).toBe("STORAGE_FILE_UPLOAD_CHECK");
    expect(storage.status).toBe("FAILED");
    expect(storage.http_status).toBeNull();
    expect(storage.error_message).toMatch(ASSUME_ROLE_RE);
    expect(storage.aws_s3_info.bucket_name).toBe("my-webhook-files");
    expect(storage.aws_s3_info.file_name).toMatch(/^validation_dummy_\d{8}_\d{6}\.pdf$/);
    expect(http).toEqual({
      validation_step: "HTTP_CONNECTION_CHECK",
      status: "SUCCESS",
      http_status: 200,
      error_message: null,
      aws_s3_info: null,
    });
    const j = await jobById(emu, token, res.body.job_id);
    expect(j.status).toBe("FAILED");
    expect(j.detail).toBe(`STORAGE_FILE_UPLOAD_CHECK (bucket: my-webhook-files): ${storage.error_message}`);
  });

  it("s3-put-object-denied fails the storage step with the Access denied text", async () => {
    const { emu, token, webhookId } = await setup();
    const res = await validate(emu, token, webhookId, withScenario("s3-put-object-denied"));
    expect(res.body.result_code).toBe("PARTIAL_SUCCESS");
    expect(res.body.details[0].error_message).toBe("Access denied. Ensure the IAM role has s3:PutObject permission on the target bucket.");
  });

  it("storage-and-http-failed makes the overall result FAILED", async () => {
    const { emu, token, webhookId } = await setup();
    const res = await validate(emu, token, webhookId, withScenario("storage-and-http-failed"));
    expect(res.body.result_code).toBe("FAILED");
    expect(res.body.details.map((d: any) => [d.status, d.http_status])).toEqual([
      ["FAILED", null],
      ["FAILED", 503],
    ]);
    const j = await jobById(emu, token, res.body.job_id);
    expect(j.detail).toMatch(
      /^STORAGE_FILE_UPLOAD_CHECK \(bucket: my-webhook-files\): failed to assume role .*; HTTP_CONNECTION_CHECK: HTTP 503 Service Unavailable$/,
    );
  });

  it.each([
    ["webhook-unreachable", null, /^connect ECONNREFUSED hooks\.zapier\.com:443$/],
    ["webhook-returns-500", 500, /^HTTP 500 Internal Server Error$/],
    ["webhook-unauthorized", 401, /^HTTP 401 Unauthorized$/],
  ])("%s fails the HTTP check as the receiver would", async (scenario, httpStatus, text) => {
    const { emu, token, webhookId } = await setup({}, false);
    const res = await validate(emu, token, webhookId, withScenario(scenario));
    expect(res.body.result_code).toBe("FAILED");
    expect(res.body.details).toHaveLength(1);
    expect(res.body.details[0].http_status).toBe(httpStatus);
    expect(res.body.details[0].error_message).toMatch(text);
  });

  it("webhook-timeout answers only after the validation timeout, with a timeout error", async () => {
    const { emu, token, webhookId } = await setup({ validationTimeoutMs: 300 }, false);
    const started = Date.now();
    const res = await validate(emu, token, webhookId, withScenario("webhook-timeout"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.body.details[0]).toMatchObject({ status: "FAILED", http_status: null, error_message: "Request timed out after 300 ms" });
  });

  it("token-expired makes every protected call answer 401 until deactivated", async () => {
    const { emu, token } = await setup({}, false);
    const on = await call(emu, "POST", "/_emulator/scenarios/token-expired/activate", undefined, { namespace: "default" });
    expect(on.status).toBe(200);
    const res = await call(emu, "POST", "/webhooks/search", {}, { token });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe(10097);
    expect(debugText(res.body)).toBe("Authentication required to search webhook configurations.");
    await call(emu, "POST", "/_emulator/scenarios/token-expired/deactivate", undefined, { namespace: "default" });
    expect((await call(emu, "POST", "/webhooks/search", {}, { token })).status).toBe(200);
  });

  it("history-flaky fails a share of history searches with 500 and the rest succeed", async () => {
    const { emu, token, webhookId } = await setup({}, false);
    await call(emu, "POST", "/_emulator/scenarios/history-flaky/activate");
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await call(
        emu,
        "POST",
        "/jobs/history/communication-channels/search",
        { channel_type: "WEBHOOK", channel_identifiers: [webhookId], events: [{ type: "LIVEBOARD_SCHEDULE" }] },
        { token },
      );
      statuses.push(res.status);
      if (res.status === 500) expect(errorCode(res.body)).toBe(10038);
    }
    const failures = statuses.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(40);
    expect(statuses.filter((s) => s === 200).length).toBe(60 - failures);
  });

  it("slow-api adds latency to every call", async () => {
    const { emu, token } = await setup({}, false);
    const started = Date.now();
    const res = await call(emu, "POST", "/webhooks/search", {}, { token, headers: { "x-emulator-scenario": "slow-api" } });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("fails-twice-then-succeeds fails the first two validations and passes the third", async () => {
    const { emu, token, webhookId } = await setup({ scenarios: ["fails-twice-then-succeeds"] }, false);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await validate(emu, token, webhookId)).body.result_code);
    expect(codes).toEqual(["FAILED", "FAILED", "SUCCESS"]);
    const listed = await call(emu, "GET", "/_emulator/scenarios");
    const active = listed.body.active.find((a: any) => a.name === "fails-twice-then-succeeds");
    expect(active.rules[0]).toMatchObject({ hits: 2, remaining: 0 });
  });

  it("short-lived-tokens issues tokens valid for five seconds", async () => {
    const emu = await emulator({ scenarios: ["short-lived-tokens"] });
    const res = await call(emu, "POST", "/auth/token/full", { username: "tsadmin", password: "admin", validity_time_in_sec: 3600 });
    expect(res.body.expiration_time_in_millis - res.body.creation_time_in_millis).toBe(5000);
  });

  it("connection-dropped closes the socket of a validate call without an HTTP answer, and only that call", async () => {
    const running = await startEmulator({ port: 0, seed: 1, log: () => {} });
    try {
      const api = `${running.url}/api/rest/2.0`;
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${api}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
      const { token } = await (await post("/auth/token/full", { username: "tsadmin", password: "admin", org_id: 2100019165 })).json();
      const auth = { authorization: `Bearer ${token}` };
      const hook = await (await post("/webhooks/create", WEBHOOK, auth)).json();
      const body = { channel_type: "WEBHOOK", channel_identifier: hook.id, event_type: "LIVEBOARD_SCHEDULE" };
      await expect(
        post("/system/communication-channels/validate", body, { ...auth, "x-emulator-scenario": "connection-dropped" }),
      ).rejects.toThrow(/fetch failed/);
      const normal = await post("/system/communication-channels/validate", body, auth);
      expect(normal.status).toBe(200);
      expect((await normal.json()).result_code).toBe("SUCCESS");
    } finally {
      await running.stop();
    }
  });
});

describe("scenario activation", () => {
  it("applies a header scenario to that request only, even with a concurrent request", async () => {
    const { emu, token, webhookId } = await setup();
    const [failing, normal] = await Promise.all([
      validate(emu, token, webhookId, withScenario("aws-assume-role-denied")),
      validate(emu, token, webhookId),
    ]);
    expect(failing.body.result_code).toBe("PARTIAL_SUCCESS");
    expect(normal.body.result_code).toBe("SUCCESS");
  });

  it("keeps scenarios activated in one namespace out of another", async () => {
    const emu = await emulator();
    await call(emu, "POST", "/_emulator/scenarios/token-expired/activate", undefined, { namespace: "a" });
    const tokenB = await login(emu, "admin", undefined, "b");
    expect((await call(emu, "POST", "/webhooks/search", {}, { token: tokenB, namespace: "b" })).status).toBe(200);
    const tokenA = await login(emu, "admin", undefined, "a");
    expect((await call(emu, "POST", "/webhooks/search", {}, { token: tokenA, namespace: "a" })).status).toBe(401);
  });

  it("rejects an unknown scenario name in the header with a 400 naming it", async () => {
    const emu = await emulator();
    const res = await call(emu, "GET", "/_emulator/health", undefined, { headers: { "x-emulator-scenario": "nope" } });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toContain("Unknown scenario 'nope'");
  });

  it("honours times, after and probability in inline rules", async () => {
    const { emu, token, webhookId } = await setup({}, false);
    const put = await call(emu, "PUT", "/_emulator/scenarios/active", {
      rules: [{ match: { hook: "validation.http" }, after: 1, times: 2, outcome: { http_status: 502 } }],
    });
    expect(put.status).toBe(200);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await validate(emu, token, webhookId)).body.details[0].http_status);
    expect(codes).toEqual([200, 502, 502, 200, 200]);
  });

  it("draws probability from the seed, so the same seed gives the same sequence", async () => {
    const run = async () => {
      const { emu, token, webhookId } = await setup({ seed: 99 }, false);
      await call(emu, "PUT", "/_emulator/scenarios/active", {
        rules: [{ match: { hook: "validation.http" }, probability: 0.5, outcome: { http_status: 500 } }],
      });
      const codes = [];
      for (let i = 0; i < 20; i++) codes.push((await validate(emu, token, webhookId)).body.details[0].http_status);
      return codes;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(new Set(first)).toEqual(new Set([200, 500]));
  });

  it("matches rules by webhook name and url pattern", async () => {
    const { emu, token, webhookId } = await setup({}, false);
    await call(emu, "PUT", "/_emulator/scenarios/active", {
      rules: [
        { match: { hook: "validation.http", webhook: "Other" }, outcome: { http_status: 500 } },
        { match: { hook: "validation.http", url: "https://hooks.zapier.com/*" }, outcome: { http_status: 418 } },
      ],
    });
    expect((await validate(emu, token, webhookId)).body.details[0].http_status).toBe(418);
  });

  it("restores the start-up scenarios on reset", async () => {
    const emu = await emulator({ scenarios: ["slow-api"] });
    await call(emu, "POST", "/_emulator/scenarios/history-flaky/activate");
    await call(emu, "POST", "/_emulator/scenarios/slow-api/deactivate");
    await call(emu, "POST", "/_emulator/reset", {});
    const listed = await call(emu, "GET", "/_emulator/scenarios");
    expect(listed.body.active.map((a: any) => a.name)).toEqual(["slow-api"]);
    expect(listed.body.available.length).toBeGreaterThanOrEqual(11);
  });

  it("refuses to start with an invalid scenario file, naming the file and the JSON path", async () => {
    const dir = dirs.make();
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({ name: "bad", rules: [{ match: { hook: "validation.http" }, outcome: { http_status: "500" } }] }),
    );
    await expect(emulator({ scenariosDir: dir })).rejects.toThrow(
      /bad\.json is invalid at rules\[0\]\.outcome\.http_status: .*expected number/,
    );
  });

  it("refuses an unknown --scenario name at start", async () => {
    await expect(emulator({ scenarios: ["does-not-exist"] })).rejects.toThrow(/Unknown scenario 'does-not-exist'/);
  });
});
