import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { call, createWebhook, emulator, login, S3_DESTINATION } from "../support/index.js";

/*
 * Every example of the seed guide (communication-channels-guide.txt), sent verbatim: the request
 * bodies are the exact `--data-raw` texts (only IDs replaced by ones created here), and every
 * response is checked against the guide's example: same keys in the same order, same value types,
 * and the same values wherever they do not depend on generated IDs or times.
 */

/** Request bodies exactly as the guide's curl --data-raw examples print them. */
const REQUEST = {
  CONFIGURE_CLUSTER: '{\n"cluster_preferences": [\n{\n"event_type": "LIVEBOARD_SCHEDULE",\n"channels": [\n"WEBHOOK"\n]\n}\n]\n}',
  CONFIGURE_ORG:
    '{\n"org_preferences": [\n{\n"org_identifier": "testOrg1",\n"operation": "REPLACE",\n"preferences": [\n{\n"event_type": "LIVEBOARD_SCHEDULE",\n"channels": [\n"WEBHOOK"\n]\n}\n]\n}\n]\n}',
  SEARCH_CLUSTER: '{\n"cluster_preferences": [\n"LIVEBOARD_SCHEDULE"\n]\n}',
  SEARCH_ORG: '{\n"org_preferences": [\n{\n"org_identifier": "testOrg1",\n"event_types": [\n"LIVEBOARD_SCHEDULE"\n]\n}\n]\n}',
  VALIDATE:
    '{\n"channel_type": "WEBHOOK",\n"channel_identifier": "3791ad80-70e8-4222-bf11-fb8a5f1b5bf4",\n"event_type": "LIVEBOARD_SCHEDULE"\n}',
  HISTORY_BY_JOB_ID: '{\n"channel_type": "WEBHOOK",\n"job_ids": [\n"n.validation-0e55b1de-8c30-48d1-8c73-2f0365e03641"\n]\n}',
} as const;

/** Response examples exactly as the guide prints them. */
const RESPONSE = {
  SEARCH_ALL_ORGS:
    '{\n"cluster_preferences": [],\n"org_preferences": [\n{\n"org": {\n"id": "0",\n"name": "Primary"\n},\n"preferences": []\n},\n{\n"org": {\n"id": "1532970882",\n"name": "testOrg"\n},\n"preferences": [\n{\n"event_type": "LIVEBOARD_SCHEDULE",\n"channels": [\n"EMAIL",\n"WEBHOOK"\n]\n}\n]\n},\n{\n"org": {\n"id": "2100019165",\n"name": "testOrg1"\n},\n"preferences": [\n{\n"event_type": "LIVEBOARD_SCHEDULE",\n"channels": [\n"WEBHOOK"\n]\n}\n]\n}\n]\n}',
  SEARCH_ONE_ORG:
    '{\n"cluster_preferences": [],\n"org_preferences": [\n{\n"org": {\n"id": "2100019165",\n"name": "testOrg1"\n},\n"preferences": [\n{\n"event_type": "LIVEBOARD_SCHEDULE",\n"channels": [\n"WEBHOOK"\n]\n}\n]\n}\n]\n}',
  VALIDATE_SUCCESS:
    '{\n"channel_type":"WEBHOOK",\n"channel_id":"9185f9be-f237-42bf-b452-c2dc897e1673",\n"channel_name":"Zapier",\n"event_type":"LIVEBOARD_SCHEDULE",\n"job_id":"n.validation-0e55b1de-8c30-48d1-8c73-2f0365e03641",\n"result_code":"SUCCESS",\n"details":[\n{\n"validation_step":"HTTP_CONNECTION_CHECK",\n"status":"SUCCESS",\n"http_status":200,\n"error_message":null,\n"aws_s3_info":null\n}\n]\n}',
  VALIDATE_PARTIAL_SUCCESS:
    '{\n"channel_type":"WEBHOOK",\n"channel_id":"52314c1c-8d1d-40d1-8dba-3f77d219b41a",\n"channel_name":"nebula-webhooks-gcp-05012026-webhook1",\n"event_type":"LIVEBOARD_SCHEDULE",\n"job_id":"n.validation-37688eaf-6cb1-4f7e-a6f2-0658c1d678eb",\n"result_code":"PARTIAL_SUCCESS",\n"details":[\n{\n"validation_step":"STORAGE_FILE_UPLOAD_CHECK",\n"status":"FAILED",\n"http_status":null,\n"error_message":"failed to assume role \'arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole\': operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: 8ba1a7a1-65c2-4901-8d4a-bf150687e92c, api error AccessDenied: User: arn:aws:sts::418295724037:assumed-role/cell-89b3a1c7-coms-lambda-role/cell-89b3a1c7-coms-api is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole. Ensure the role\'s trust policy allows ThoughtSpot and the External ID matches",\n"aws_s3_info":{\n"bucket_name":"my-webhook-files",\n"file_name":"validation_dummy_20260330_131030.pdf",\n"object_key":"webhooks/cluster-abc/org-1/user-123/liveboard/report.pdf"\n}\n},\n{\n"validation_step":"HTTP_CONNECTION_CHECK",\n"status":"SUCCESS",\n"http_status":200,\n"error_message":null,\n"aws_s3_info":null\n}\n]\n}',
  HISTORY_SUCCESS:
    '{\n"jobs":[\n{\n"id":"n.validation-0e55b1de-8c30-48d1-8c73-2f0365e03641",\n"status":"SUCCESS",\n"creation_time_in_millis":1774876441988,\n"event":{\n"type":"LIVEBOARD_SCHEDULE",\n"id":"validation-9185f9be-f237-42bf-b452-c2dc897e1673",\n"name":null,\n"run_id":null\n},\n"recipients":null,\n"detail":"",\n"try_count":1\n}\n]\n}',
  HISTORY_FAILED:
    '{\n"jobs":[\n{\n"id":"n.validation-900ea028-5254-4d38-a03c-26fb41aa632b",\n"status":"FAILED",\n"creation_time_in_millis":1774890524301,\n"event":{\n"type":"LIVEBOARD_SCHEDULE",\n"id":"validation-52314c1c-8d1d-40d1-8dba-3f77d219b41a",\n"name":null,\n"run_id":null\n},\n"recipients":null,\n"detail":"STORAGE_FILE_UPLOAD_CHECK (bucket: my-webhook-files): failed to assume role \'arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole\': operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: 25182019-58ca-4003-8048-6713bd7d7d4e, api error AccessDenied: User: arn:aws:sts::418295724037:assumed-role/cell-89b3a1c7-coms-lambda-role/cell-89b3a1c7-coms-api is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/ThoughtSpotDeliveryRole. Ensure the role\'s trust policy allows ThoughtSpot and the External ID matches",\n"try_count":1\n}\n]\n}',
} as const;

const CONFIGURE = "/system/preferences/communication-channels/configure";
const SEARCH = "/system/preferences/communication-channels/search";
const VALIDATE = "/system/communication-channels/validate";
const HISTORY = "/jobs/history/communication-channels/search";

/** Headers of the guide's curl commands (Authorization is added by call()). */
const CURL_HEADERS = { "Content-Type": "application/json" };
const CURL_HEADERS_ACCEPT = { Accept: "application/json", "Content-Type": "application/json" };

const GUIDE_WEBHOOK_ID = "3791ad80-70e8-4222-bf11-fb8a5f1b5bf4";
const GUIDE_JOB_ID = "n.validation-0e55b1de-8c30-48d1-8c73-2f0365e03641";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** The value's shape: key order, value types (null, string, number, boolean), array lengths. */
function shape(v: unknown): unknown {
  if (v === null) return "null";
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}

function expectSameShape(actual: unknown, example: unknown): void {
  expect(JSON.stringify(shape(actual), null, 1)).toBe(JSON.stringify(shape(example), null, 1));
}

/** Keys of every object level, in order, to compare with Object.keys of the example. */
function keyPaths(v: unknown, path = "$", out: Record<string, string[]> = {}): Record<string, string[]> {
  if (Array.isArray(v)) v.forEach((x, i) => keyPaths(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === "object") {
    out[path] = Object.keys(v);
    for (const [k, x] of Object.entries(v)) keyPaths(x, `${path}.${k}`, out);
  }
  return out;
}

/** The guide's AssumeRole error text as a pattern: request id, account and cell ids vary. */
function assumeRolePattern(example: string): RegExp {
  const src = example
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(new RegExp(UUID, "g"), UUID)
    .replace(/arn:aws:sts::\d{12}/g, "arn:aws:sts::\\d{12}")
    .replace(/cell-[0-9a-f]{8}/g, "cell-[0-9a-f]{8}");
  return new RegExp(`^${src}$`);
}

const parse = (text: string) => JSON.parse(text);

async function send(emu: Emulator, path: string, raw: string, token: string, headers: Record<string, string> = CURL_HEADERS_ACCEPT) {
  return call(emu, "POST", path, undefined, { token, raw, headers: { ...headers } });
}

describe("the guide's preference examples", () => {
  it("accepts the cluster-level configure request with 204 and no body", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await send(emu, CONFIGURE, REQUEST.CONFIGURE_CLUSTER, token, CURL_HEADERS);
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");
    const search = await call(emu, "POST", SEARCH, {}, { token });
    expect(search.body.cluster_preferences).toEqual([{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }]);
  });

  it("accepts the org-level configure request with 204 and no body", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const res = await send(emu, CONFIGURE, REQUEST.CONFIGURE_ORG, token, CURL_HEADERS);
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");
    const search = await call(emu, "POST", SEARCH, { org_preferences: [{ org_identifier: "testOrg1" }] }, { token });
    expect(search.body.org_preferences).toEqual([
      { org: { id: "2100019165", name: "testOrg1" }, preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
    ]);
  });

  it("answers the cluster-level search request with the guide's response", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const testOrg = await call(
      emu,
      "POST",
      CONFIGURE,
      {
        org_preferences: [
          {
            org_identifier: "testOrg",
            operation: "REPLACE",
            preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL", "WEBHOOK"] }],
          },
        ],
      },
      { token },
    );
    expect(testOrg.status).toBe(204);
    expect((await send(emu, CONFIGURE, REQUEST.CONFIGURE_ORG, token, CURL_HEADERS)).status).toBe(204);

    const res = await send(emu, SEARCH, REQUEST.SEARCH_CLUSTER, token);
    expect(res.status, res.text).toBe(200);
    const example = parse(RESPONSE.SEARCH_ALL_ORGS);
    expectSameShape(res.body, example);
    expect(keyPaths(res.body)).toEqual(keyPaths(example));
    expect(res.body).toEqual(example);
  });

  it("answers the org-level search request with the guide's response", async () => {
    const emu = await emulator();
    const token = await login(emu);
    expect((await send(emu, CONFIGURE, REQUEST.CONFIGURE_ORG, token, CURL_HEADERS)).status).toBe(204);
    const res = await send(emu, SEARCH, REQUEST.SEARCH_ORG, token);
    expect(res.status, res.text).toBe(200);
    const example = parse(RESPONSE.SEARCH_ONE_ORG);
    expectSameShape(res.body, example);
    expect(keyPaths(res.body)).toEqual(keyPaths(example));
    expect(res.body).toEqual(example);
  });
});

describe("the guide's validation and job history examples", () => {
  it("validates a webhook with the guide's request and answers the SUCCESS example, then finds the job with the guide's history request", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", 2100019165);
    const wh = await createWebhook(emu, token, { name: "Zapier", url: "https://hooks.zapier.com/hooks/catch/123/abc" });

    const res = await send(emu, VALIDATE, REQUEST.VALIDATE.replace(GUIDE_WEBHOOK_ID, wh.id), token);
    expect(res.status, res.text).toBe(200);
    const example = parse(RESPONSE.VALIDATE_SUCCESS);
    expectSameShape(res.body, example);
    expect(keyPaths(res.body)).toEqual(keyPaths(example));
    expect(res.body).toEqual({ ...example, channel_id: wh.id, job_id: expect.stringMatching(new RegExp(`^n\\.validation-${UUID}$`)) });

    const jobId: string = res.body.job_id;
    const hist = await send(emu, HISTORY, REQUEST.HISTORY_BY_JOB_ID.replace(GUIDE_JOB_ID, jobId), token);
    expect(hist.status, hist.text).toBe(200);
    const histExample = parse(RESPONSE.HISTORY_SUCCESS);
    expectSameShape(hist.body, histExample);
    expect(keyPaths(hist.body)).toEqual(keyPaths(histExample));
    const [exampleJob] = histExample.jobs;
    expect(hist.body).toEqual({
      jobs: [
        {
          ...exampleJob,
          id: jobId,
          creation_time_in_millis: expect.any(Number),
          event: { ...exampleJob.event, id: `validation-${wh.id}` },
        },
      ],
    });
  });

  it("answers the PARTIAL_SUCCESS example when AWS denies AssumeRole, and the FAILED history example for its job", async () => {
    const emu = await emulator();
    const scenario = await call(emu, "PUT", "/_emulator/scenarios/active", {
      name: "guide-assume-role-denied",
      rules: [{ match: { hook: "validation.storage", storage_type: "AWS_S3" }, outcome: { storage_error: "ASSUME_ROLE_DENIED" } }],
    });
    expect(scenario.status, scenario.text).toBe(200);
    const token = await login(emu, "admin", 2100019165);
    const wh = await createWebhook(emu, token, {
      name: "nebula-webhooks-gcp-05012026-webhook1",
      url: "https://hooks.example.com/thoughtspot",
      storage_destination: S3_DESTINATION,
    });

    const res = await send(emu, VALIDATE, REQUEST.VALIDATE.replace(GUIDE_WEBHOOK_ID, wh.id), token);
    expect(res.status, res.text).toBe(200);
    const example = parse(RESPONSE.VALIDATE_PARTIAL_SUCCESS);
    expectSameShape(res.body, example);
    expect(keyPaths(res.body)).toEqual(keyPaths(example));
    const [storageExample, httpExample] = example.details;
    expect(res.body).toEqual({
      ...example,
      channel_id: wh.id,
      job_id: expect.stringMatching(new RegExp(`^n\\.validation-${UUID}$`)),
      details: [
        {
          ...storageExample,
          error_message: expect.stringMatching(assumeRolePattern(storageExample.error_message)),
          aws_s3_info: {
            bucket_name: "my-webhook-files",
            file_name: expect.stringMatching(/^validation_dummy_\d{8}_\d{6}\.pdf$/),
            object_key: expect.any(String),
          },
        },
        httpExample,
      ],
    });

    const jobId: string = res.body.job_id;
    const hist = await send(emu, HISTORY, REQUEST.HISTORY_BY_JOB_ID.replace(GUIDE_JOB_ID, jobId), token);
    expect(hist.status, hist.text).toBe(200);
    const histExample = parse(RESPONSE.HISTORY_FAILED);
    expectSameShape(hist.body, histExample);
    expect(keyPaths(hist.body)).toEqual(keyPaths(histExample));
    const [exampleJob] = histExample.jobs;
    expect(hist.body).toEqual({
      jobs: [
        {
          ...exampleJob,
          id: jobId,
          creation_time_in_millis: expect.any(Number),
          event: { ...exampleJob.event, id: `validation-${wh.id}` },
          detail: expect.stringMatching(assumeRolePattern(exampleJob.detail)),
        },
      ],
    });
    // the job's detail carries the same error text the validation answered
    expect(hist.body.jobs[0].detail).toBe(`STORAGE_FILE_UPLOAD_CHECK (bucket: my-webhook-files): ${res.body.details[0].error_message}`);
  });

  it("uses the example's ID formats for validation jobs", async () => {
    const example = parse(RESPONSE.HISTORY_SUCCESS).jobs[0];
    expect(example.id).toMatch(new RegExp(`^n\\.validation-${UUID}$`));
    expect(example.event.id).toMatch(new RegExp(`^validation-${UUID}$`));
    const emu = await emulator();
    const token = await login(emu);
    const wh = await createWebhook(emu, token, { name: "Zapier", url: "https://hooks.zapier.com/hooks/catch/123/abc" });
    expect(wh.id).toMatch(new RegExp(`^${UUID}$`));
    const res = await send(emu, VALIDATE, REQUEST.VALIDATE.replace(GUIDE_WEBHOOK_ID, wh.id), token);
    expect(res.body.job_id).toMatch(new RegExp(`^n\\.validation-${UUID}$`));
  });
});
