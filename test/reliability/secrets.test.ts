/**
 * Secrets never leave the emulator except towards the receiver they are meant for. The real CLI
 * runs with --log-requests and fixtures whose user passwords are unique markers; webhooks are
 * created with every secret kind (BEARER_TOKEN, API_KEY value, BASIC_AUTH password, OAUTH2
 * client_secret, signature secret — each a unique marker) and validated against a loopback
 * receiver (which also plays the OAuth2 token endpoint). Then every API endpoint and every admin
 * route is called, plus malformed and invalid bodies carrying secrets. No marker may appear in any
 * response body or header, nor in the process output.
 * The request journal, the webhook inbox and the live event stream of every namespace are scanned too.
 * A further webhook carries additional_headers values, url_params values and user:password@ in its
 * URL and its OAuth2 authorization_url: the ThoughtSpot webhook responses show those (real clusters
 * do), but no admin view, error text, history detail or log line may.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliProcess,
  closeReceivers,
  type HttpOptions,
  httpLogin,
  httpRequest,
  killAll,
  type Receiver,
  readFixtures,
  startCli,
  startReceiver,
  tempDirs,
  USERS,
  type User,
  validateBody,
} from "../support/index.js";

const B = "/api/rest/2.0";
const ORG = { primary: 0, testOrg: 1532970882, testOrg1: 2100019165 } as const;

const M = {
  bearer: "sekret-bearer-7d1f2c0a",
  bearerRotated: "sekret-bearer-rotated-5c6d",
  apiKeyValue: "sekret-apikey-9a8b7c6d",
  basicPassword: "sekret-basicpw-4e5f6a7b",
  oauthClientSecret: "sekret-oauth-client-1b2c3d4e",
  oauthAccessToken: "sekret-oauth-access-8f9e0d1c",
  sig1: "sekret-hmac-one-2a3b",
  sig2: "sekret-hmac-two-4c5d",
  sig3: "sekret-hmac-three-6e7f",
  sig4: "sekret-hmac-four-8091",
  malformedBearer: "sekret-malformed-bearer-a1b2",
  malformedBasic: "sekret-malformed-basic-c3d4",
  invalidApiKey: "sekret-invalid-apikey-e5f6",
  deepBearer: "sekret-deep-bearer-0f1e",
  pwAdmin: "sekret-pw-tsadmin-11aa",
  pwDeveloper: "sekret-pw-developer-22bb",
  pwWebhookManager: "sekret-pw-whm-33cc",
  pwAppAdmin: "sekret-pw-appadmin-44dd",
  pwAnalyst: "sekret-pw-analyst-55ee",
  trustedSecretKey: "sekret-trusted-key-66ff",
};
/** Shown by the ThoughtSpot webhook responses (create, search, delete), and nowhere else. */
const SHOWN_BY_API = {
  headerValue: "sekret-header-value-1a2b",
  urlParam: "sekret-urlparam-3c4d",
  userinfoUser: "sekretuser5e6f",
  userinfoPassword: "sekret-userinfo-pw-7a8b",
  oauthUrlPassword: "sekret-oauthurl-pw-9c0d",
};
/** Only in invalid requests: never echoed at all. */
const REJECTED_USERINFO = { badUrlPassword: "sekret-badurl-pw-1e2f", brokenUrlPassword: "sekret-brokenurl-pw-3a4b" };
const PASSWORDS: Record<string, string> = {
  tsadmin: M.pwAdmin,
  developer: M.pwDeveloper,
  "webhook-manager": M.pwWebhookManager,
  "app-admin": M.pwAppAdmin,
  analyst: M.pwAnalyst,
};
/** Also the encoded forms a careless implementation might print. */
const FORBIDDEN: [string, string][] = [
  ...Object.entries(M).map(([k, v]) => [k, v] as [string, string]),
  ...Object.entries(REJECTED_USERINFO).map(([k, v]) => [k, v] as [string, string]),
  ["basic header value", Buffer.from(`hook-user:${M.basicPassword}`).toString("base64")],
  ["oauth form body", `client_secret=${M.oauthClientSecret}`],
];

interface Recorded {
  what: string;
  status: number;
  headers: [string, string][];
  text: string;
}

let cli: CliProcess;
let base = "";
/** The loopback receiver: webhooks under /hook/…, the OAuth2 token endpoint at /token, a failing one at /fail. */
let receiver: Receiver;
let receiverUrl = "";
const responses: Recorded[] = [];
const dirs = tempDirs("emu-secrets-");

/** The options of call(): those of httpRequest, `ns` for the namespace. */
type CallOpts = Omit<HttpOptions, "namespace"> & { ns?: string };

/** One request; every response is kept for the final scan. */
async function call(what: string, method: string, path: string, body?: unknown, opts: CallOpts = {}) {
  const { ns, ...rest } = opts;
  const res = await httpRequest(base, method, path, body, { ...rest, namespace: ns });
  responses.push({ what: `${what}: ${method} ${path} → ${res.status}`, status: res.status, headers: [...res.headers], text: res.text });
  return res;
}

/** A token of the user (with this suite's password) in the namespace and org; the login response is scanned too. */
function token(ns: string, org_id: number, user: User = "admin"): Promise<string> {
  return httpLogin(base, user, {
    org_id,
    namespace: ns,
    password: PASSWORDS[USERS[user].username],
    send: (_base, method, path, body, o) => call(`login ${USERS[user].username}`, method, path, body, { ...o, ns: o.namespace }),
  });
}

beforeAll(async () => {
  const dir = dirs.make();
  const fixtures = readFixtures();
  fixtures.secret_key = M.trustedSecretKey;
  for (const u of fixtures.users) u.password = PASSWORDS[u.name];
  const fixturesFile = join(dir, "fixtures.json");
  writeFileSync(fixturesFile, JSON.stringify(fixtures));

  receiver = await startReceiver({
    path: "",
    respond: (req, res) => {
      if (req.url.startsWith("/token")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ access_token: M.oauthAccessToken, token_type: "Bearer", expires_in: 3600 }));
      } else if (req.url.startsWith("/fail")) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("receiver failure");
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      }
    },
  });
  receiverUrl = receiver.url;

  cli = startCli([
    "--port",
    "0",
    "--in-memory",
    "--log-requests",
    "--fixtures",
    fixturesFile,
    "--validation-timeout-ms",
    "2000",
    "--seed",
    "5",
  ]);
  base = await cli.ready();
});

afterAll(async () => {
  await killAll();
  await closeReceivers();
  dirs.removeAll();
});

const sig = (secret: string) => ({ type: "HMAC_SHA256", header: "X-TS-Signature", algorithm: "SHA256", secret });

describe("secrets stay secret (real CLI with --log-requests)", () => {
  it("no secret marker in any API or admin response, header or log line", async () => {
    const ns1 = "secrets-1";
    const ns2 = "secrets-2";
    const ns3 = "secrets-3";
    const ns4 = "secrets-4";
    // The live event stream of every namespace, read for the whole run and scanned with the rest.
    const streams = [ns1, ns2, ns3, ns4].map((ns) => {
      const ctl = new AbortController();
      let text = "";
      const done = fetch(`${base}/_emulator/events`, { headers: { "x-emulator-namespace": ns }, signal: ctl.signal })
        .then(async (res) => {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += Buffer.from(chunk).toString("utf8");
        })
        .catch(() => {});
      return { ns, stop: async () => (ctl.abort(), await done, text) };
    });
    const t = {
      primary: await token(ns1, ORG.primary),
      testOrg: await token(ns1, ORG.testOrg),
      testOrg1: await token(ns1, ORG.testOrg1),
      oauth: await token(ns2, ORG.primary),
      deep: await token(ns3, ORG.primary),
      shown: await token(ns4, ORG.primary),
    };

    // Webhooks with every secret kind, each pointing at the loopback receiver.
    const specs = [
      { tok: t.primary, name: "bearer-hook", authentication: { BEARER_TOKEN: M.bearer }, signature_verification: sig(M.sig1) },
      {
        tok: t.testOrg,
        name: "apikey-hook",
        authentication: { API_KEY: { key: "X-Api-Key", value: M.apiKeyValue } },
        signature_verification: sig(M.sig2),
      },
      {
        tok: t.testOrg1,
        name: "basic-hook",
        authentication: { BASIC_AUTH: { username: "hook-user", password: M.basicPassword } },
        signature_verification: sig(M.sig3),
      },
      {
        tok: t.oauth,
        name: "oauth-hook",
        authentication: {
          OAUTH2: { authorization_url: `${receiverUrl}/token`, client_id: "client-1", client_secret: M.oauthClientSecret },
        },
        signature_verification: sig(M.sig4),
      },
    ];
    const hooks: { id: string; tok: string }[] = [];
    for (const s of specs) {
      const { tok, ...body } = s;
      const res = await call(
        `create ${s.name}`,
        "POST",
        `${B}/webhooks/create`,
        {
          ...body,
          url: `${receiverUrl}/hook/${s.name}`,
          events: ["LIVEBOARD_SCHEDULE"],
          description: "secret test",
          storage_destination: {
            storage_type: "AWS_S3",
            storage_config: {
              aws_s3_config: { bucket_name: "secret-bucket", region: "us-east-1", role_arn: "arn:aws:iam::123456789012:role/R" },
            },
          },
        },
        { token: tok },
      );
      expect(res.status, res.text).toBe(200);
      expect(JSON.stringify(res.body.authentication)).toContain("***");
      expect(res.body.signature_verification.secret).toBe("***");
      hooks.push({ id: res.body.id, tok });
    }

    // Validations: real test POSTs to the receiver, with every kind of auth and signature.
    const jobIds: string[] = [];
    for (const h of hooks) {
      const res = await call("validate", "POST", `${B}/system/communication-channels/validate`, validateBody(h.id), { token: h.tok });
      expect(res.status, res.text).toBe(200);
      const http = res.body.details.find((d: any) => d.validation_step === "HTTP_CONNECTION_CHECK");
      expect(http, res.text).toMatchObject({ status: "SUCCESS", http_status: 200 });
      jobIds.push(res.body.job_id);
    }
    // The secrets really were used towards the receiver (so the checks below mean something).
    const received = receiver.requests;
    const hookRequests = received.filter((r) => r.url.startsWith("/hook/"));
    expect(hookRequests.map((r) => r.headers.authorization ?? r.headers["x-api-key"])).toEqual([
      `Bearer ${M.bearer}`,
      M.apiKeyValue,
      `Basic ${Buffer.from(`hook-user:${M.basicPassword}`).toString("base64")}`,
      `Bearer ${M.oauthAccessToken}`,
    ]);
    expect(hookRequests.every((r) => typeof r.headers["x-ts-signature"] === "string")).toBe(true);
    expect(received.some((r) => r.url.startsWith("/token") && r.body.toString("latin1").includes(M.oauthClientSecret))).toBe(true);

    // A failing receiver: the failure detail is recorded and returned, without secrets.
    const upd = await call(
      "update url to a failing receiver + rotate the bearer",
      "POST",
      `${B}/webhooks/${hooks[0].id}/update`,
      {
        url: `${receiverUrl}/fail`,
        authentication: { BEARER_TOKEN: M.bearerRotated },
      },
      { token: t.primary },
    );
    expect(upd.status, upd.text).toBe(204);
    const failed = await call(
      "validate (failing receiver)",
      "POST",
      `${B}/system/communication-channels/validate`,
      validateBody(hooks[0].id),
      { token: t.primary },
    );
    expect(failed.status, failed.text).toBe(200);
    jobIds.push(failed.body.job_id);

    // A webhook whose header values, url_params and URL credentials the API shows but nothing else may.
    const rxHost = receiverUrl.replace("http://", "");
    const shownHook = await call(
      "create the webhook with header values, url_params and URL credentials",
      "POST",
      `${B}/webhooks/create`,
      {
        name: "shown-hook",
        url: `http://${SHOWN_BY_API.userinfoUser}:${SHOWN_BY_API.userinfoPassword}@${rxHost}/hook/shown`,
        url_params: { key: SHOWN_BY_API.urlParam },
        additional_headers: [{ key: "X-Extra", value: SHOWN_BY_API.headerValue }],
        authentication: {
          OAUTH2: {
            authorization_url: `http://oauth-user:${SHOWN_BY_API.oauthUrlPassword}@${rxHost}/token`,
            client_id: "client-4",
            client_secret: M.oauthClientSecret,
          },
        },
        events: ["LIVEBOARD_SCHEDULE"],
      },
      { token: t.shown },
    );
    expect(shownHook.status, shownHook.text).toBe(200);
    expect(shownHook.text).toContain(SHOWN_BY_API.headerValue);
    const shownOk = await call(
      "validate the shown-hook",
      "POST",
      `${B}/system/communication-channels/validate`,
      validateBody(shownHook.body.id),
      {
        token: t.shown,
      },
    );
    expect(shownOk.body.details[0], shownOk.text).toMatchObject({ status: "SUCCESS", http_status: 200 });
    const shownRequest = receiver.requests.find((r) => r.url.startsWith("/hook/shown"));
    expect(shownRequest?.headers["x-extra"]).toBe(SHOWN_BY_API.headerValue);
    expect(shownRequest?.url).toContain(SHOWN_BY_API.urlParam);
    const gone = await startReceiver();
    await gone.close();
    await call(
      "point the shown-hook at a closed port",
      "POST",
      `${B}/webhooks/${shownHook.body.id}/update`,
      { url: `http://${SHOWN_BY_API.userinfoUser}:${SHOWN_BY_API.userinfoPassword}@127.0.0.1:${gone.port}/closed` },
      { token: t.shown },
    );
    const shownFailed = await call(
      "validate the shown-hook (closed port)",
      "POST",
      `${B}/system/communication-channels/validate`,
      validateBody(shownHook.body.id),
      {
        token: t.shown,
      },
    );
    expect(shownFailed.body.details[0], shownFailed.text).toMatchObject({
      status: "FAILED",
      error_message: `connect ECONNREFUSED 127.0.0.1:${gone.port}`,
    });
    await call(
      "history of the shown-hook",
      "POST",
      `${B}/jobs/history/communication-channels/search`,
      {
        channel_type: "WEBHOOK",
        job_ids: [shownFailed.body.job_id],
      },
      { token: t.shown },
    );
    await call("search the shown-hook", "POST", `${B}/webhooks/search`, {}, { token: t.shown });
    await call(
      "create with credentials in a non-http url",
      "POST",
      `${B}/webhooks/create`,
      {
        name: "bad-url",
        url: `ftp://someone:${REJECTED_USERINFO.badUrlPassword}@files.example.com/x`,
        events: ["LIVEBOARD_SCHEDULE"],
      },
      { token: t.testOrg1 },
    );
    await call(
      "create with credentials in an unparseable url",
      "POST",
      `${B}/webhooks/create`,
      {
        name: "broken-url",
        url: `http://someone:${REJECTED_USERINFO.brokenUrlPassword}@exa mple.com/`,
        events: ["LIVEBOARD_SCHEDULE"],
      },
      { token: t.testOrg1 },
    );

    // Every other API endpoint.
    for (const [i, h] of hooks.entries()) {
      await call("webhooks search", "POST", `${B}/webhooks/search`, {}, { token: h.tok });
      await call("webhooks search by id", "POST", `${B}/webhooks/search`, { webhook_identifier: h.id }, { token: h.tok });
      await call(
        "history by job id",
        "POST",
        `${B}/jobs/history/communication-channels/search`,
        { channel_type: "WEBHOOK", job_ids: [jobIds[i]] },
        { token: h.tok },
      );
      await call(
        "history by channel",
        "POST",
        `${B}/jobs/history/communication-channels/search`,
        {
          channel_type: "WEBHOOK",
          channel_identifiers: [h.id],
          events: [{ type: "LIVEBOARD_SCHEDULE" }],
        },
        { token: h.tok },
      );
      await call("storage-config", "GET", `${B}/webhooks/storage-config`, undefined, { token: h.tok });
      await call("update description", "POST", `${B}/webhooks/${h.id}/update`, { description: "updated" }, { token: h.tok });
    }
    await call(
      "history of the failed validation",
      "POST",
      `${B}/jobs/history/communication-channels/search`,
      { channel_type: "WEBHOOK", job_ids: [jobIds[4]] },
      { token: t.primary },
    );
    await call(
      "configure",
      "POST",
      `${B}/system/preferences/communication-channels/configure`,
      {
        cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }],
        org_preferences: [
          { org_identifier: "testOrg", operation: "REPLACE", preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["EMAIL"] }] },
        ],
      },
      { token: t.primary },
    );
    await call("preferences search", "POST", `${B}/system/preferences/communication-channels/search`, {}, { token: t.primary });
    await call("token validate", "POST", `${B}/auth/token/validate`, { token: t.primary }, { token: t.primary });
    await call(
      "token full with the trusted secret_key",
      "POST",
      `${B}/auth/token/full`,
      { username: "developer", secret_key: M.trustedSecretKey },
      { ns: ns1 },
    );
    await call(
      "token full with a wrong password",
      "POST",
      `${B}/auth/token/full`,
      { username: "tsadmin", password: `${M.pwAdmin}-wrong` },
      { ns: ns1 },
    );
    const login = await call(
      "session login",
      "POST",
      `${B}/auth/session/login`,
      { username: "developer", password: M.pwDeveloper },
      { ns: ns1 },
    );
    expect(login.status, login.text).toBe(204);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    await call("session user (cookie)", "GET", `${B}/auth/session/user`, undefined, { cookie, ns: ns1 });
    await call("session user (bearer)", "GET", `${B}/auth/session/user`, undefined, { token: t.primary });
    await call("orgs search", "POST", `${B}/orgs/search`, {}, { token: t.primary });
    await call("session logout", "POST", `${B}/auth/session/logout`, undefined, { cookie, ns: ns1 });
    const spare = await token(ns1, ORG.primary, "analyst");
    await call("token revoke", "POST", `${B}/auth/token/revoke`, { token: spare }, { token: t.primary });
    await call("unknown endpoint", "POST", `${B}/no/such/endpoint`, {}, { token: t.primary });

    // Malformed and invalid bodies carrying secrets in secret fields.
    await call("create, truncated JSON", "POST", `${B}/webhooks/create`, undefined, {
      token: t.testOrg1,
      raw: `{"name":"m","url":"https://x.example/h","events":["LIVEBOARD_SCHEDULE"],"authentication":{"BEARER_TOKEN":"${M.malformedBearer}"`,
    });
    await call("create, syntax error right after the secret", "POST", `${B}/webhooks/create`, undefined, {
      token: t.testOrg1,
      raw: `{"authentication":{"BEARER_TOKEN":"${M.malformedBearer}"}x}`,
    });
    await call("create, secret then an invalid literal", "POST", `${B}/webhooks/create`, undefined, {
      token: t.testOrg1,
      raw: `{"authentication":{"BASIC_AUTH":{"username":"u","password":"${M.malformedBasic}"}},"url":nope}`,
    });
    await call(
      "create, wrong type elsewhere",
      "POST",
      `${B}/webhooks/create`,
      {
        name: "w",
        url: 42,
        events: ["LIVEBOARD_SCHEDULE"],
        authentication: { API_KEY: { key: "k", value: M.invalidApiKey } },
      },
      { token: t.testOrg1 },
    );
    await call(
      "create, two auth kinds",
      "POST",
      `${B}/webhooks/create`,
      {
        name: "w",
        url: "https://x.example/h",
        events: ["LIVEBOARD_SCHEDULE"],
        authentication: { API_KEY: { key: "k", value: M.invalidApiKey }, BASIC_AUTH: { username: "u", password: M.malformedBasic } },
      },
      { token: t.testOrg1 },
    );
    await call(
      "create, secret of the wrong type",
      "POST",
      `${B}/webhooks/create`,
      {
        name: "w",
        url: "https://x.example/h",
        events: ["LIVEBOARD_SCHEDULE"],
        authentication: { BASIC_AUTH: { password: M.malformedBasic } },
      },
      { token: t.testOrg1 },
    );
    await call(
      "update, invalid body with a secret",
      "POST",
      `${B}/webhooks/${hooks[2].id}/update`,
      {
        authentication: { BEARER_TOKEN: M.malformedBearer },
        signature_verification: { type: "MD5", secret: M.malformedBasic },
      },
      { token: t.testOrg1 },
    );
    await call("create, wrong content type", "POST", `${B}/webhooks/create`, undefined, {
      token: t.testOrg1,
      raw: `authentication=${M.malformedBearer}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    await call(
      "login with a password of the wrong type",
      "POST",
      `${B}/auth/token/full`,
      { username: "tsadmin", password: [M.pwAdmin] },
      { ns: ns1 },
    );
    // A request that makes the server fail internally must not log its body either.
    await call("create with a secret and a deeply nested url_params", "POST", `${B}/webhooks/create`, undefined, {
      token: t.deep,
      raw: `{"name":"deep","url":"https://x.example/d","events":["LIVEBOARD_SCHEDULE"],"authentication":{"BEARER_TOKEN":"${M.deepBearer}"},"url_params":{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`,
    });

    // Every admin route, in every namespace used.
    for (const ns of [ns1, ns2, ns3, ns4, "default"]) {
      const state = await call("admin state", "GET", "/_emulator/state", undefined, { ns });
      if (state.status === 200)
        expect(
          state.body.users.every((u: any) => !("password" in u)),
          `users in ${ns} carry no password`,
        ).toBe(true);
      await call("admin scenarios", "GET", "/_emulator/scenarios", undefined, { ns });
      await call("admin journal", "GET", "/_emulator/requests?limit=1000", undefined, { ns });
      await call("admin journal find", "POST", "/_emulator/requests/find", { kind: "outgoing" }, { ns });
      await call("admin inbox", "GET", "/_emulator/inbox", undefined, { ns });
      await call("admin history", "GET", "/_emulator/history?limit=500", undefined, { ns });
      await call("admin history histogram", "GET", "/_emulator/history/histogram", undefined, { ns });
    }
    await call("admin namespaces", "GET", "/_emulator/namespaces");
    for (const page of ["", "webhooks", "schedules", "history", "inbox", "requests", "scenarios", "synthesize"]) {
      await call(`dashboard page /${page}`, "GET", `/_emulator/ui/${page}`, undefined, { ns: ns1 });
    }
    await call("admin health", "GET", "/_emulator/health");
    await call("admin metrics", "GET", "/_emulator/metrics");
    await call("admin metrics reset", "POST", "/_emulator/metrics/reset");
    await call("admin clock", "GET", "/_emulator/clock");
    await call("admin clock move", "POST", "/_emulator/clock", { advance_ms: 1 });
    await call("admin scenario activate", "POST", "/_emulator/scenarios/aws-assume-role-denied/activate", undefined, { ns: ns1 });
    const denied = await call(
      "validate with a storage denial",
      "POST",
      `${B}/system/communication-channels/validate`,
      validateBody(hooks[1].id),
      { token: t.testOrg },
    );
    expect(denied.status, denied.text).toBe(200);
    await call(
      "history of the denied validation",
      "POST",
      `${B}/jobs/history/communication-channels/search`,
      { channel_type: "WEBHOOK", job_ids: [denied.body.job_id] },
      { token: t.testOrg },
    );
    await call("admin scenario deactivate", "POST", "/_emulator/scenarios/aws-assume-role-denied/deactivate", undefined, { ns: ns1 });
    await call(
      "admin inline scenario",
      "PUT",
      "/_emulator/scenarios/active",
      { rules: [{ match: { hook: "validation.http" }, outcome: { http_status: 401 } }] },
      { ns: ns2 },
    );
    await call("validate under the inline scenario", "POST", `${B}/system/communication-channels/validate`, validateBody(hooks[3].id), {
      token: t.oauth,
    });
    await call("admin synthesize", "POST", "/_emulator/jobs/synthesize", { days: 1, runs_per_day: 4 }, { ns: ns1 });
    await call(
      "history after synthesis",
      "POST",
      `${B}/jobs/history/communication-channels/search`,
      {
        channel_type: "WEBHOOK",
        channel_identifiers: [hooks[0].id],
        events: [{ type: "LIVEBOARD_SCHEDULE" }],
      },
      { token: t.primary },
    );
    await call(
      "webhooks delete",
      "POST",
      `${B}/webhooks/delete`,
      { webhook_identifiers: [hooks[2].id, "no-such-hook"] },
      { token: t.testOrg1 },
    );
    await call("admin reset one namespace", "POST", "/_emulator/reset", { namespace: ns2 });
    await call("admin state after reset", "GET", "/_emulator/state", undefined, { ns: ns2 });
    await call("admin reset all", "POST", "/_emulator/reset");
    for (const s of streams) {
      const text = await s.stop();
      expect(text, `the event stream of ${s.ns} carried the run`).toMatch(/event: request/);
      responses.push({ what: `event stream of ${s.ns}`, status: 200, headers: [], text });
    }

    // The scan. The ThoughtSpot webhook responses may show what SHOWN_BY_API holds; nothing else may.
    const leaks: string[] = [];
    const showsWebhooks = (r: Recorded) => r.status === 200 && / \/api\/rest\/2\.0\/webhooks\/(create|search|delete) /.test(r.what);
    const shown = Object.entries(SHOWN_BY_API).map(([k, v]) => [k, v] as [string, string]);
    for (const r of responses) {
      for (const [label, marker] of showsWebhooks(r) ? FORBIDDEN : [...FORBIDDEN, ...shown]) {
        if (r.text.includes(marker))
          leaks.push(
            `${r.what}: body contains ${label} ("${marker}"): ${r.text.slice(Math.max(0, r.text.indexOf(marker) - 120), r.text.indexOf(marker) + 60)}`,
          );
        for (const [h, v] of r.headers) if (v.includes(marker)) leaks.push(`${r.what}: header ${h} contains ${label}`);
      }
    }
    await new Promise((r) => setTimeout(r, 200)); // let the last log lines arrive
    const output = `${cli.stdout()}\n${cli.stderr()}`;
    // The banner prints demo credentials only for the built-in fixtures; with a fixtures file of
    // the user's own it names the users and points at the file instead.
    expect(output).toMatch(/users: tsadmin, developer, .* \(passwords and trusted-auth secret_key: see /);
    for (const [label, marker] of [...FORBIDDEN, ...shown]) {
      const at = output.indexOf(marker);
      if (at >= 0) leaks.push(`process output contains ${label} ("${marker}"): …${output.slice(Math.max(0, at - 160), at + 60)}…`);
    }
    expect(responses.length).toBeGreaterThan(60);
    expect(cli.stderr(), "--log-requests prints one line per request").toMatch(/POST \/api\/rest\/2\.0\/webhooks\/create 200/);
    expect(leaks, `secrets leaked (${responses.length} responses and the process output scanned)`).toEqual([]);
  });
});
