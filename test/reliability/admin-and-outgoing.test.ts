/**
 * The admin surface and outgoing calls of the real CLI over real sockets: a non-loopback --host
 * needs --admin-token (else it does not start) and prints a warning; Host headers of a rebound DNS
 * name are refused on the API and the admin routes; a foreign Origin or a text/plain body cannot
 * drive /_emulator; a webhook aimed at the emulator's own admin routes with a forged namespace
 * header is refused; every file and folder a run leaves in the data dir is private to its owner.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  closeReceivers,
  configureBody,
  createWebhookHttp,
  httpLogin,
  httpRequest,
  killAll,
  rawRequest,
  runToExit,
  S3_DESTINATION,
  startCli,
  startReceiver,
  tempDirs,
  validateBody,
} from "../support/index.js";

const B = "/api/rest/2.0";
const ORG1 = 2100019165;
const OWN_PORT = "The webhook URL points at the emulator itself; only /_emulator/inbox/<name> may be used as a receiver there.";
const dirs = tempDirs("emu-admin-");

afterEach(async () => {
  await killAll();
  await closeReceivers();
});
afterAll(() => dirs.removeAll());

/** The CLI on a free loopback port with `args`; resolves with its base URL. */
async function cli(args: string[]) {
  const proc = startCli(["--port", "0", "--seed", "9", ...args]);
  const url = await proc.ready();
  return { proc, base: url.replace("//0.0.0.0:", "//127.0.0.1:") };
}

describe("listening beyond loopback", () => {
  it("refuses to start on --host 0.0.0.0 without --admin-token, with a one-line reason", async () => {
    const run = await runToExit(["--port", "0", "--in-memory", "--host", "0.0.0.0"]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain("listening on");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[emulator\] Refusing to listen on 0\.0\.0\.0: .*--admin-token/);
  });

  it("prints a warning line and asks every admin request but health for X-Emulator-Admin-Token", async () => {
    const { proc, base } = await cli(["--in-memory", "--host", "0.0.0.0", "--admin-token", "adm-42"]);
    // One log line (pino JSON: stderr is not a terminal here).
    const warning = proc
      .stderr()
      .split("\n")
      .filter((l) => l.includes("WARNING"));
    expect(warning).toHaveLength(1);
    expect(JSON.parse(warning[0])).toMatchObject({
      level: 40,
      host: "0.0.0.0",
      msg: expect.stringMatching(/^WARNING: listening on 0\.0\.0\.0, beyond loopback: /),
    });
    const missing = await httpRequest(base, "GET", "/_emulator/state");
    expect(missing.status).toBe(401);
    expect(missing.text).toContain("X-Emulator-Admin-Token");
    const right = await httpRequest(base, "GET", "/_emulator/state", undefined, { headers: { "x-emulator-admin-token": "adm-42" } });
    expect(right.status).toBe(200);
    expect(right.body.namespace).toBe("default");
    const health = await httpRequest(base, "GET", "/_emulator/health");
    expect(health.body.status).toBe("ok");
    expect(await httpLogin(base)).toEqual(expect.any(String));
  });

  it("takes the admin token from EMULATOR_ADMIN_TOKEN too", async () => {
    process.env.EMULATOR_ADMIN_TOKEN = "from-env-7";
    let started: Awaited<ReturnType<typeof cli>>;
    try {
      started = await cli(["--in-memory", "--host", "0.0.0.0"]);
    } finally {
      delete process.env.EMULATOR_ADMIN_TOKEN;
    }
    const res = await httpRequest(started.base, "GET", "/_emulator/clock", undefined, {
      headers: { "x-emulator-admin-token": "from-env-7" },
    });
    expect(res.status).toBe(200);
    expect((await httpRequest(started.base, "GET", "/_emulator/clock")).status).toBe(401);
  });
});

describe("Host and Origin over real sockets", () => {
  it("refuses a DNS-rebinding Host on the API and the admin routes, and accepts localhost and --allowed-host names", async () => {
    const { base } = await cli(["--in-memory", "--allowed-host", "emu.internal"]);
    const port = new URL(base).port;
    const login = JSON.stringify({ username: "tsadmin", password: "admin" });
    const json = { "content-type": "application/json" };
    for (const host of [`attacker.example:${port}`, `localhost.attacker.example:${port}`]) {
      const state = await rawRequest(base, "GET", "/_emulator/state", { headers: { host } });
      expect(state.status, host).toBe(403);
      expect(state.text, host).toContain("--allowed-host");
      expect(state.text).not.toContain('"orgs"');
      const token = await rawRequest(base, "POST", `${B}/auth/token/full`, { headers: { host, ...json }, body: login });
      expect(token.status, host).toBe(403);
      expect(token.text).not.toContain('"token"');
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `emu.internal:${port}`]) {
      const token = await rawRequest(base, "POST", `${B}/auth/token/full`, { headers: { host, ...json }, body: login });
      expect(token.status, host).toBe(200);
      expect(token.body.token).toEqual(expect.any(String));
    }
  });

  it("refuses a foreign Origin and a text/plain body on POST /_emulator/reset, and nothing is reset", async () => {
    const { base } = await cli(["--in-memory"]);
    const token = await httpLogin(base, "admin", { namespace: "victim" });
    await createWebhookHttp(base, token, {}, { namespace: "victim" });
    const foreign = await rawRequest(base, "POST", "/_emulator/reset", { headers: { origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain("may not call the emulator's admin routes");
    const plain = await rawRequest(base, "POST", "/_emulator/reset", {
      headers: { "content-type": "text/plain" },
      body: '{"namespace":"victim"}',
    });
    expect(plain.status).toBe(415);
    const state = await httpRequest(base, "GET", "/_emulator/state", undefined, { namespace: "victim" });
    expect(state.body.webhooks).toHaveLength(1);
  });
});

describe("a webhook aimed at the emulator itself", () => {
  it("is refused at /_emulator/reset and at a scenario switch, whatever namespace header it forges", async () => {
    const { base } = await cli(["--in-memory"]);
    const victim = await httpLogin(base, "admin", { namespace: "victim", org_id: ORG1 });
    await createWebhookHttp(base, victim, {}, { namespace: "victim" });
    const attacker = await httpLogin(base, "admin", { namespace: "attacker", org_id: ORG1 });
    const forged = [
      { key: "X-Emulator-Namespace", value: "victim" },
      { key: "Content-Type", value: "application/json" },
    ];
    const hook = await createWebhookHttp(
      base,
      attacker,
      { url: `${base}/_emulator/reset`, additional_headers: forged },
      { namespace: "attacker" },
    );
    for (const url of [`${base}/_emulator/reset`, `${base}/_emulator/scenarios/token-expired/activate`]) {
      const upd = await httpRequest(base, "POST", `${B}/webhooks/${hook.id}/update`, { url }, { token: attacker });
      expect(upd.status, upd.text).toBe(204);
      const res = await httpRequest(base, "POST", `${B}/system/communication-channels/validate`, validateBody(hook.id), {
        token: attacker,
      });
      expect(res.body.details[0], url).toMatchObject({ status: "FAILED", http_status: null, error_message: OWN_PORT });
    }
    const state = await httpRequest(base, "GET", "/_emulator/state", undefined, { namespace: "victim" });
    expect(state.body.webhooks).toHaveLength(1);
    const search = await httpRequest(base, "POST", `${B}/webhooks/search`, {}, { token: victim });
    expect(search.status, search.text).toBe(200);
  });
});

describe("files at rest", () => {
  /** Every path under `dir` (itself included) whose mode is not 0700 (folders) or 0600 (files). */
  function loosePaths(dir: string): string[] {
    const out: string[] = [];
    const visit = (path: string) => {
      const st = statSync(path);
      const mode = st.mode & 0o777;
      if (st.isDirectory()) {
        if (mode !== 0o700) out.push(`${path}/ ${mode.toString(8)}`);
        for (const e of readdirSync(path)) visit(join(path, e));
      } else if (mode !== 0o600) out.push(`${path} ${mode.toString(8)}`);
    };
    visit(dir);
    return out;
  }

  it("leaves every folder 0700 and every file 0600 after a run with storage checks and deliveries", async () => {
    const dir = join(dirs.make(), "data");
    const rx = await startReceiver();
    const { proc, base } = await cli(["--data-dir", dir, "--delivery-backoff-ms", "1,1"]);
    const token = await httpLogin(base, "admin", { org_id: ORG1 });
    const configured = await httpRequest(
      base,
      "POST",
      `${B}/system/preferences/communication-channels/configure`,
      configureBody(["WEBHOOK"]),
      { token },
    );
    expect(configured.status).toBe(204);
    const hook = await createWebhookHttp(base, token, { url: rx.url, storage_destination: S3_DESTINATION });
    const validated = await httpRequest(base, "POST", `${B}/system/communication-channels/validate`, validateBody(hook.id), { token });
    expect(validated.body.result_code, validated.text).toBe("SUCCESS");
    const delivered = await httpRequest(base, "POST", "/_emulator/deliveries", {
      channel_identifier: hook.id,
      org_identifier: "testOrg1",
      wait: true,
    });
    expect(delivered.status, delivered.text).toBe(200);
    const buckets = await httpRequest(base, "GET", "/_emulator/buckets");
    expect(buckets.body.objects.length).toBeGreaterThanOrEqual(2);
    await proc.stop();
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(["buckets", "history.jsonl"]));
    expect(loosePaths(dir)).toEqual([]);
  });
});
