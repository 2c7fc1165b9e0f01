import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/index.js";
import { API, debugText, httpLogin, httpRequest, rawRequest, validateBody } from "../support/index.js";

const running: RunningEmulator[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.stop();
});

async function start(options: Parameters<typeof startEmulator>[0] = {}) {
  const emu = await startEmulator({ seed: 3, log: () => {}, ...options });
  running.push(emu);
  const token = await httpLogin(emu.url, "admin");
  return { emu, token };
}

const SIG = { type: "HMAC_SHA256", header: "X-TS-Signature", algorithm: "SHA256", secret: "inbox-secret" };

async function inboxWebhook(base: string, token: string, name = "zap", extra: Record<string, unknown> = {}) {
  const res = await httpRequest(
    base,
    "POST",
    `${API}/webhooks/create`,
    {
      name: `to-${name}`,
      url: `${base}/_emulator/inbox/${name}`,
      events: ["LIVEBOARD_SCHEDULE"],
      signature_verification: SIG,
      authentication: { API_KEY: { key: "X-Api-Key", value: "inbox-api-key" } },
      ...extra,
    },
    { token },
  );
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe("the webhook inbox", () => {
  it("receives a validation's test POST over real HTTP and checks its signature and auth header without showing them", async () => {
    const { emu, token } = await start();
    const hook = await inboxWebhook(emu.url, token);
    const v = await httpRequest(emu.url, "POST", `${API}/system/communication-channels/validate`, validateBody(hook.id), { token });
    expect(v.body.result_code, v.text).toBe("SUCCESS");
    const box = await httpRequest(emu.url, "GET", "/_emulator/inbox/zap");
    expect(box.status).toBe(200);
    const [m] = box.body.messages;
    expect(m).toMatchObject({
      name: "zap",
      kind: "validation",
      simulated: false,
      answered: 200,
      webhook: { id: hook.id, name: hook.name },
      job_id: v.body.job_id,
      signature_valid: true,
      auth_valid: true,
      payload: { eventId: v.body.job_id, eventType: "LIVEBOARD_SCHEDULE" },
      file: { name: expect.stringMatching(/\.pdf$/), content_type: "application/pdf", size: expect.any(Number) },
    });
    expect(m.headers["x-api-key"]).toBe("***");
    expect(JSON.stringify(box.body)).not.toContain("inbox-api-key");
    const file = await fetch(`${emu.url}${m.file.url}`);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 4)
        .toString("latin1"),
    ).toBe("%PDF");
  });

  it("lets a test wait for the next delivery without sleeping (long-poll and the typed helper)", async () => {
    const { emu, token } = await start({ deliveryBackoffMs: [10, 10] });
    await httpRequest(
      emu.url,
      "POST",
      `${API}/system/preferences/communication-channels/configure`,
      { cluster_preferences: [{ event_type: "LIVEBOARD_SCHEDULE", channels: ["WEBHOOK"] }] },
      { token },
    );
    const hook = await inboxWebhook(emu.url, token);
    const waiting = httpRequest(emu.url, "GET", "/_emulator/inbox/zap?wait_ms=5000");
    const helper = emu.inbox.waitFor({ webhook: hook.id });
    const fired = await httpRequest(emu.url, "POST", "/_emulator/deliveries", { channel_identifier: hook.id });
    expect(fired.status, fired.text).toBe(200);
    const got = await waiting;
    expect(got.body.messages).toHaveLength(1);
    expect(got.body.messages[0]).toMatchObject({ kind: "delivery", job_id: fired.body.id, signature_valid: true });
    expect((await helper).job_id).toBe(fired.body.id);
    // Nothing newer yet: a short wait answers empty.
    const after = await httpRequest(emu.url, "GET", `/_emulator/inbox/zap?after=${got.body.messages[0].id}&wait_ms=50`);
    expect(after.body.messages).toEqual([]);
  });

  it("marks a POST with a wrong signature or a wrong auth header, as a receiver would", async () => {
    const { emu, token } = await start();
    await inboxWebhook(emu.url, token, "strict");
    const body =
      '--b\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/json\r\n\r\n{"eventId":"n.x"}\r\n--b--\r\n';
    const good = createHmac("sha256", SIG.secret).update(body).digest("hex");
    const post = (headers: Record<string, string>) =>
      rawRequest(emu.url, "POST", "/_emulator/inbox/strict", {
        body,
        headers: { "content-type": "multipart/form-data; boundary=b", ...headers },
      });
    await post({ "x-ts-signature": good, "x-api-key": "inbox-api-key" });
    await post({ "x-ts-signature": good.replace(/^./, "0"), "x-api-key": "wrong" });
    const [bad, ok] = (await httpRequest(emu.url, "GET", "/_emulator/inbox/strict")).body.messages;
    expect([ok.signature_valid, ok.auth_valid]).toEqual([true, true]);
    expect([bad.signature_valid, bad.auth_valid]).toEqual([false, false]);
  });

  it("keeps what a simulated delivery to a remote host would have carried, marked simulated", async () => {
    const { emu, token } = await start();
    const hook = await httpRequest(
      emu.url,
      "POST",
      `${API}/webhooks/create`,
      { name: "Zapier", url: "https://hooks.zapier.com/hooks/catch/1/abc", events: ["LIVEBOARD_SCHEDULE"], signature_verification: SIG },
      { token },
    );
    const v = await httpRequest(emu.url, "POST", `${API}/system/communication-channels/validate`, validateBody(hook.body.id), { token });
    const box = await httpRequest(emu.url, "GET", "/_emulator/inbox");
    expect(box.body.messages[0]).toMatchObject({
      name: "Zapier",
      simulated: true,
      answered: 200,
      job_id: v.body.job_id,
      signature_valid: true,
      url: "https://hooks.zapier.com/hooks/catch/1/abc",
      payload: { eventId: v.body.job_id },
    });
  });

  it("keeps a scenario's answer for a scripted receiver, and clears on DELETE and reset", async () => {
    const { emu, token } = await start();
    const hook = await inboxWebhook(emu.url, token, "flaky");
    await httpRequest(emu.url, "POST", "/_emulator/scenarios/webhook-returns-500/activate");
    await httpRequest(emu.url, "POST", `${API}/system/communication-channels/validate`, validateBody(hook.id), { token });
    const [m] = (await httpRequest(emu.url, "GET", "/_emulator/inbox")).body.messages;
    expect(m).toMatchObject({ name: "to-flaky", simulated: true, answered: 500 });
    expect((await httpRequest(emu.url, "DELETE", "/_emulator/inbox")).body.cleared).toBe(1);
    await httpRequest(emu.url, "POST", "/_emulator/scenarios/webhook-returns-500/deactivate");
    await httpRequest(emu.url, "POST", `${API}/system/communication-channels/validate`, validateBody(hook.id), { token });
    expect((await httpRequest(emu.url, "GET", "/_emulator/inbox")).body.total).toBe(1);
    await httpRequest(emu.url, "POST", "/_emulator/reset", {});
    expect((await httpRequest(emu.url, "GET", "/_emulator/inbox")).body.total).toBe(0);
  });

  it("refuses a bad wait_ms or an unknown parameter with a clear 400", async () => {
    const { emu } = await start();
    const huge = await httpRequest(emu.url, "GET", "/_emulator/inbox?wait_ms=999999");
    expect(huge.status).toBe(400);
    expect(debugText(huge.body)).toMatch(/wait_ms/);
    const unknown = await httpRequest(emu.url, "GET", "/_emulator/inbox?afterr=1");
    expect(unknown.status).toBe(400);
    expect(debugText(unknown.body)).toMatch(/the parameters are: after, wait_ms, webhook, limit/);
  });
});

describe("the event stream", () => {
  it("streams the namespace's requests, job changes, inbox arrivals, clock moves and resets as server-sent events", async () => {
    const { emu, token } = await start();
    const hook = await inboxWebhook(emu.url, token);
    const res = await fetch(`${emu.url}/_emulator/events`);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const seen: string[] = [];
    let buffer = "";
    const until = async (type: string) => {
      while (!seen.includes(type)) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += Buffer.from(value).toString("utf8");
        for (const m of buffer.matchAll(/^event: (\w+)$/gm)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
      }
    };
    await until("hello");
    await httpRequest(emu.url, "POST", `${API}/system/communication-channels/validate`, validateBody(hook.id), { token });
    await until("inbox");
    await until("job");
    await until("request");
    await httpRequest(emu.url, "POST", "/_emulator/clock", { advance_ms: 1000 });
    await until("clock");
    await httpRequest(emu.url, "POST", "/_emulator/reset", {});
    await until("reset");
    await reader.cancel();
    expect(seen).toEqual(expect.arrayContaining(["hello", "request", "job", "inbox", "clock", "reset"]));
    expect(buffer).not.toContain("inbox-api-key");
    expect(buffer).not.toContain(token);
  });
});
