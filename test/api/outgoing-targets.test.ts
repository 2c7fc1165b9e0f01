/**
 * Where validation and delivery POSTs (and OAuth2 token requests) really go: never the emulator's
 * own port (except /_emulator/inbox/<name>), loopback receivers while the emulator listens on
 * loopback, only --webhook-target receivers once it listens beyond; with --live-webhooks public
 * hosts, and no private, link-local or metadata address unless --allow-private-targets, checking
 * every address a name resolves to and connecting to the checked one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, type RunningEmulator, startEmulator } from "../../src/index.js";
import {
  call,
  closeReceivers,
  configureBody,
  createWebhook,
  emulator,
  jobById,
  login,
  startReceiver,
  validateOk,
} from "../support/index.js";

const ORG1 = 2100019165;
const OWN_PORT = "The webhook URL points at the emulator itself; only /_emulator/inbox/<name> may be used as a receiver there.";

const running: RunningEmulator[] = [];
const emulators: Emulator[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const e of emulators.splice(0)) await e.close();
  await closeReceivers();
});

async function listening(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const emu = await startEmulator({ port: 0, seed: 42, log: () => {}, deliveryBackoffMs: [1, 1], ...options });
  running.push(emu);
  return emu;
}

/** The HTTP_CONNECTION_CHECK detail of validating a webhook (created in testOrg1 with `body`). */
async function httpCheck(emu: Emulator, body: Record<string, unknown>, namespace?: string) {
  const token = await login(emu, "admin", ORG1, namespace);
  const wh = await createWebhook(emu, token, { name: "Target", ...body }, { namespace });
  const res = await validateOk(emu, token, wh.id, { namespace });
  return res.details.find((d: any) => d.validation_step === "HTTP_CONNECTION_CHECK");
}

/** Validates one webhook per URL (updating it in between) and returns each HTTP check. */
async function httpChecks(emu: Emulator, urls: string[]) {
  const token = await login(emu, "admin", ORG1);
  const wh = await createWebhook(emu, token, { name: "Target", url: urls[0] });
  const out: Record<string, any> = {};
  for (const url of urls) {
    const upd = await call(emu, "POST", `/webhooks/${wh.id}/update`, { url }, { token });
    expect(upd.status, upd.text).toBe(204);
    const res = await validateOk(emu, token, wh.id);
    out[url] = res.details.find((d: any) => d.validation_step === "HTTP_CONNECTION_CHECK");
  }
  return out;
}

/** A fake outgoing fetch that records each call and answers 200. */
function recordingFetch() {
  const calls: { url: string; pin: unknown }[] = [];
  const fetch = (async (url: string, init: { pin?: unknown }) => {
    calls.push({ url: String(url), pin: init.pin ?? null });
    return new Response(null, { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

/** A lookup that records the names asked for and resolves none. */
const recordLookups = (names: string[]) => async (host: string) => {
  names.push(host);
  return [];
};

describe("a webhook pointing at the emulator itself", () => {
  it("is refused, so a forged X-Emulator-Namespace cannot switch on a scenario in another namespace", async () => {
    const emu = await listening();
    const victim = await login(emu, "admin", ORG1, "victim");
    const check = await httpCheck(
      emu,
      {
        url: `${emu.url}/_emulator/scenarios/token-expired/activate`,
        additional_headers: [{ key: "X-Emulator-Namespace", value: "victim" }],
      },
      "attacker",
    );
    expect(check).toMatchObject({ status: "FAILED", http_status: null, error_message: OWN_PORT });
    const scenarios = await call(emu, "GET", "/_emulator/scenarios", undefined, { namespace: "victim" });
    expect(scenarios.body.active).toEqual([]);
    const search = await call(emu, "POST", "/webhooks/search", {}, { token: victim });
    expect(search.status, search.text).toBe(200);
  });

  it("is refused under every spelling of a loopback address at its port", async () => {
    const emu = await listening();
    const port = new URL(emu.url).port;
    const urls = [
      `http://localhost:${port}/_emulator/reset`,
      `http://127.0.0.2:${port}/_emulator/reset`,
      `http://[::1]:${port}/_emulator/reset`,
      `http://[::ffff:127.0.0.1]:${port}/_emulator/reset`,
      `http://0.0.0.0:${port}/_emulator/reset`,
      `http://2130706433:${port}/_emulator/clock`,
      `http://app.localhost:${port}/api/rest/2.0/auth/token/full`,
      `http://127.0.0.1:${port}/_emulator/inbox/../reset`,
    ];
    const checks = await httpChecks(emu, urls);
    for (const url of urls) expect(checks[url], url).toMatchObject({ status: "FAILED", http_status: null, error_message: OWN_PORT });
  });

  it("lets /_emulator/inbox/<name> on its own port be a receiver (the POST is really sent)", async () => {
    const emu = await listening();
    const check = await httpCheck(emu, { url: `${emu.url}/_emulator/inbox/mine` });
    expect(check.error_message).not.toBe(OWN_PORT);
    expect(typeof check.http_status).toBe("number");
  });

  it("refuses an OAuth2 authorization_url on its own port, and the receiver gets nothing", async () => {
    const emu = await listening();
    const rx = await startReceiver();
    const check = await httpCheck(emu, {
      url: rx.url,
      authentication: { OAUTH2: { authorization_url: `${emu.url}/_emulator/reset`, client_id: "c", client_secret: "s" } },
    });
    expect(check).toMatchObject({ status: "FAILED", http_status: null, error_message: `OAuth2 authorization_url refused: ${OWN_PORT}` });
    expect(rx.requests).toEqual([]);
  });

  it("fails every delivery try at its own admin routes with the same reason", async () => {
    const emu = await listening();
    const token = await login(emu, "admin", ORG1);
    expect(
      (await call(emu, "POST", "/system/preferences/communication-channels/configure", configureBody(["WEBHOOK"]), { token })).status,
    ).toBe(204);
    const wh = await createWebhook(emu, token, { name: "Self", url: `${emu.url}/_emulator/metrics/reset` });
    const res = await call(emu, "POST", "/_emulator/deliveries", { channel_identifier: wh.id, org_identifier: "testOrg1", wait: true });
    expect(res.status, res.text).toBe(200);
    const job = await jobById(emu, token, res.body.id);
    expect(job).toMatchObject({ status: "FAILED", try_count: 3, detail: OWN_PORT });
  });

  it("still really POSTs to a receiver on another loopback port (what developers rely on)", async () => {
    const emu = await listening();
    const rx = await startReceiver();
    const check = await httpCheck(emu, { url: rx.url });
    expect(check).toMatchObject({ status: "SUCCESS", http_status: 200 });
    expect(rx.requests).toHaveLength(1);
  });
});

describe("on a host beyond loopback", () => {
  it("simulates loopback receivers and really POSTs only to --webhook-target ones", async () => {
    const plain = await startReceiver();
    const target = await startReceiver();
    const emu = await listening({ host: "0.0.0.0", adminToken: "t", webhookTargets: [`127.0.0.1:${target.port}`] });
    const token = await login(emu, "admin", ORG1);
    const a = await createWebhook(emu, token, { name: "Plain", url: plain.url });
    expect((await validateOk(emu, token, a.id)).details[0]).toMatchObject({ status: "SUCCESS", http_status: 200 });
    expect(plain.requests).toEqual([]);
    const other = await login(emu, "admin", 1532970882);
    const b = await createWebhook(emu, other, { name: "Opted in", url: target.url });
    expect((await validateOk(emu, other, b.id)).details[0]).toMatchObject({ status: "SUCCESS", http_status: 200 });
    expect(target.requests).toHaveLength(1);
  });

  it("refuses its own port there as well, --webhook-target or not", async () => {
    const probe = await listening({ host: "0.0.0.0", adminToken: "t" });
    const port = new URL(probe.url).port;
    const emu = await listening({ host: "0.0.0.0", adminToken: "t", port: 0, webhookTargets: [`localhost:${port}`] });
    const own = new URL(emu.url).port;
    const checks = await httpChecks(emu, [`http://localhost:${own}/_emulator/reset`, `http://127.0.0.1:${own}/_emulator/reset`]);
    for (const c of Object.values(checks)) expect(c).toMatchObject({ status: "FAILED", error_message: OWN_PORT });
  });
});

describe("--live-webhooks", () => {
  const PRIVATE = [
    ["http://169.254.169.254/latest/meta-data/", "a cloud metadata address"],
    ["http://[fd00:ec2::254]/latest/meta-data/", "a cloud metadata address"],
    ["http://metadata.google.internal/computeMetadata/v1/", "a cloud metadata address"],
    ["http://[::ffff:169.254.169.254]/", "a cloud metadata address"],
    ["http://169.254.10.20/h", "a link-local address"],
    ["http://[fe80::1]/h", "a link-local address"],
    ["http://10.0.0.5/h", "a private-network address"],
    ["http://172.16.3.4/h", "a private-network address"],
    ["http://192.168.1.10/h", "a private-network address"],
    ["http://100.64.0.1/h", "a private-network address"],
    ["http://[fc00::1]/h", "a private-network address"],
  ] as const;

  it("refuses link-local, metadata and private addresses without any network call", async () => {
    const { calls, fetch } = recordingFetch();
    const lookups: string[] = [];
    const emu = await emulator({ liveWebhooks: true, fetch, lookup: recordLookups(lookups) });
    emulators.push(emu);
    const checks = await httpChecks(
      emu,
      PRIVATE.map(([url]) => url),
    );
    for (const [url, kind] of PRIVATE) {
      expect(checks[url], url).toMatchObject({ status: "FAILED", http_status: null });
      expect(checks[url].error_message, url).toContain(
        `is ${kind}: the emulator does not send there unless started with --allow-private-targets`,
      );
    }
    expect(calls).toEqual([]);
    expect(lookups).toEqual([]);
  });

  it("checks every address a name resolves to, and refuses the name if any is private", async () => {
    const { calls, fetch } = recordingFetch();
    const emu = await emulator({
      liveWebhooks: true,
      fetch,
      lookup: async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "10.1.2.3", family: 4 },
      ],
    });
    emulators.push(emu);
    const check = await httpCheck(emu, { url: "https://mixed.example/hook" });
    expect(check.error_message).toContain("The URL's host mixed.example is a private-network address");
    expect(calls).toEqual([]);
  });

  it("sends to the address it checked: one lookup per call, and that address handed to the transport", async () => {
    const { calls, fetch } = recordingFetch();
    let lookups = 0;
    const emu = await emulator({
      liveWebhooks: true,
      fetch,
      lookup: async () => (++lookups === 1 ? [{ address: "93.184.216.34", family: 4 }] : [{ address: "127.0.0.1", family: 4 }]),
    });
    emulators.push(emu);
    const check = await httpCheck(emu, { url: "https://public.example/hook" });
    expect(check).toMatchObject({ status: "SUCCESS", http_status: 200 });
    expect(lookups).toBe(1);
    expect(calls).toEqual([{ url: "https://public.example/hook", pin: { address: "93.184.216.34", family: 4 } }]);
  });

  it("connects to the checked address itself: a name DNS does not know reaches a loopback receiver through it", async () => {
    const rx = await startReceiver();
    const emu = await emulator({
      liveWebhooks: true,
      lookup: async (host) => {
        if (host !== "receiver.invalid") throw new Error("unknown");
        return [{ address: "127.0.0.1", family: 4 }];
      },
    });
    emulators.push(emu);
    const check = await httpCheck(emu, { url: `http://receiver.invalid:${rx.port}/hook` });
    expect(check).toMatchObject({ status: "SUCCESS", http_status: 200 });
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0].headers.host).toBe(`receiver.invalid:${rx.port}`);
  });

  it("fails a name that does not resolve with getaddrinfo ENOTFOUND", async () => {
    const emu = await emulator({
      liveWebhooks: true,
      lookup: async () => {
        throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
      },
    });
    emulators.push(emu);
    const check = await httpCheck(emu, { url: "https://nowhere.example/hook" });
    expect(check).toMatchObject({ status: "FAILED", http_status: null, error_message: "getaddrinfo ENOTFOUND nowhere.example" });
  });

  it("lets private addresses through with --allow-private-targets", async () => {
    const { calls, fetch } = recordingFetch();
    const emu = await emulator({ liveWebhooks: true, allowPrivateTargets: true, fetch });
    emulators.push(emu);
    const check = await httpCheck(emu, { url: "http://10.0.0.5:8080/hook" });
    expect(check).toMatchObject({ status: "SUCCESS", http_status: 200 });
    expect(calls.map((c) => c.url)).toEqual(["http://10.0.0.5:8080/hook"]);
  });

  it("still simulates remote hosts without it (no DNS, no network)", async () => {
    const { calls, fetch } = recordingFetch();
    const lookups: string[] = [];
    const emu = await emulator({ fetch, lookup: recordLookups(lookups) });
    emulators.push(emu);
    const checks = await httpChecks(emu, ["https://hooks.example.com/x", "http://10.0.0.5/h", "http://169.254.169.254/"]);
    for (const c of Object.values(checks)) expect(c).toMatchObject({ status: "SUCCESS", http_status: 200, error_message: null });
    expect(calls).toEqual([]);
    expect(lookups).toEqual([]);
  });
});

describe("the OAuth2 token endpoint", () => {
  const oauth = (url: string, client_secret = "secret-a") => ({
    OAUTH2: { authorization_url: `${url}/token`, client_id: "client-1", client_secret },
  });

  it("answers a clear error when the token response is larger than 64 KB, and sends nothing to the receiver", async () => {
    const rx = await startReceiver({
      path: "",
      respond: (req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url.startsWith("/token") ? JSON.stringify({ access_token: "t", padding: "x".repeat(100_000) }) : "{}");
      },
    });
    const emu = await emulator();
    const check = await httpCheck(emu, { url: `${rx.origin}/hook`, authentication: oauth(rx.origin) });
    expect(check).toMatchObject({
      status: "FAILED",
      http_status: null,
      error_message: `OAuth2 token response from ${rx.origin}/token is larger than 64 KB`,
    });
    expect(rx.requests.filter((r) => r.url.startsWith("/hook"))).toEqual([]);
  });

  /** A token endpoint that issues `tok-<n>-<client_secret>` and a receiver at /hook. */
  async function tokenServer() {
    let issued = 0;
    return startReceiver({
      path: "",
      respond: (req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        if (!req.url.startsWith("/token")) return res.end("{}");
        const secret = new URLSearchParams(req.body.toString()).get("client_secret");
        res.end(JSON.stringify({ access_token: `tok-${++issued}-${secret}`, expires_in: 3600 }));
      },
    });
  }
  const bearers = (rx: Awaited<ReturnType<typeof tokenServer>>) =>
    rx.requests.filter((r) => r.url.startsWith("/hook")).map((r) => r.headers.authorization);

  it("does not serve a cached token to a webhook whose client secret changed", async () => {
    const rx = await tokenServer();
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, { name: "O", url: `${rx.origin}/hook`, authentication: oauth(rx.origin) });
    await validateOk(emu, token, wh.id);
    await validateOk(emu, token, wh.id);
    const upd = await call(emu, "POST", `/webhooks/${wh.id}/update`, { authentication: oauth(rx.origin, "wrong-secret") }, { token });
    expect(upd.status, upd.text).toBe(204);
    await validateOk(emu, token, wh.id);
    expect(bearers(rx)).toEqual(["Bearer tok-1-secret-a", "Bearer tok-1-secret-a", "Bearer tok-2-wrong-secret"]);
  });

  it("never sends one namespace's token to another namespace's webhook", async () => {
    const rx = await tokenServer();
    const emu = await emulator();
    const hook = { name: "O", url: `${rx.origin}/hook`, authentication: oauth(rx.origin) };
    const a = await login(emu, "admin", ORG1, "ns-a");
    const b = await login(emu, "admin", ORG1, "ns-b");
    const inA = await createWebhook(emu, a, hook, { namespace: "ns-a" });
    const inB = await createWebhook(emu, b, hook, { namespace: "ns-b" });
    await validateOk(emu, a, inA.id, { namespace: "ns-a" });
    await validateOk(emu, b, inB.id, { namespace: "ns-b" });
    await validateOk(emu, a, inA.id, { namespace: "ns-a" });
    // Same token URL, client id and secret: ns-b still gets a token of its own, ns-a keeps its cached one.
    expect(bearers(rx)).toEqual(["Bearer tok-1-secret-a", "Bearer tok-2-secret-a", "Bearer tok-1-secret-a"]);
  });
});

describe("a URL's user:password@", () => {
  it("is sent as Basic auth, never in the URL, and a failure text does not echo it", async () => {
    const rx = await startReceiver();
    const emu = await emulator();
    const check = await httpCheck(emu, { url: `http://hookuser:hook-pw-3a1@127.0.0.1:${rx.port}/hook` });
    expect(check).toMatchObject({ status: "SUCCESS", http_status: 200 });
    expect(rx.requests[0].headers.authorization).toBe(`Basic ${Buffer.from("hookuser:hook-pw-3a1").toString("base64")}`);
    expect(rx.requests[0].url).toBe("/hook");
    const gone = await startReceiver();
    await gone.close();
    const closed = await httpCheck(emu, { url: `http://hookuser:hook-pw-3a1@127.0.0.1:${gone.port}/none` }, "other");
    expect(closed).toMatchObject({ status: "FAILED", error_message: `connect ECONNREFUSED 127.0.0.1:${gone.port}` });
  });

  it("gives way to the webhook's own authentication", async () => {
    const rx = await startReceiver();
    const emu = await emulator();
    await httpCheck(emu, { url: `http://u:p@127.0.0.1:${rx.port}/hook`, authentication: { BEARER_TOKEN: "own" } });
    expect(rx.requests[0].headers.authorization).toBe("Bearer own");
  });
});
