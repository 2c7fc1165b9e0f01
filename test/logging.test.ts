/** The CLI's logs: JSON lines off a terminal, request lines with ids and trace ids, outgoing calls, CORS refusals. */
import { afterEach, describe, expect, it } from "vitest";
import { API, createWebhookHttp, httpLogin, httpRequest, killAll, startCli, validateBody } from "./support/index.js";

afterEach(async () => {
  await killAll();
});

const lines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));

describe("the emulator's log", () => {
  it("prints JSON lines when not on a terminal: each request with its journal id, an error with its trace id, outgoing calls", async () => {
    const cli = startCli(["--port", "0", "--in-memory", "--log-requests"]);
    const base = await cli.ready();
    const token = await httpLogin(base, "admin");
    const hook = await createWebhookHttp(base, token);
    const bad = await httpRequest(base, "POST", `${API}/webhooks/search`, { record_size: 0 }, { token });
    const trace = bad.body.error.message.debug.trace_id_guid;
    await httpRequest(base, "POST", `${API}/system/communication-channels/validate`, validateBody(hook.id), { token });
    await new Promise((r) => setTimeout(r, 200));
    const log = lines(cli.stderr());
    const search = log.find((l) => l.path === `${API}/webhooks/search`);
    expect(search).toMatchObject({ level: 30, method: "POST", status: 400, trace_id: trace, req_id: expect.stringMatching(/^r-\d+$/) });
    expect(search.msg).toContain(`trace_id=${trace}`);
    expect(log.some((l) => /^--> POST https:\/\/hooks\.zapier\.com\/\S+ validation n\.validation-\S+ try 1\/1$/.test(l.msg))).toBe(true);
    expect(log.some((l) => /^<-- 200 in \d+ ms$/.test(l.msg))).toBe(true);
    expect(cli.stderr()).not.toContain(token);
    expect(cli.stderr()).not.toContain('"password"');
  });

  it("logs a refused browser origin with the option that allows it, and preflights with --log-requests", async () => {
    const cli = startCli(["--port", "0", "--in-memory", "--log-requests"]);
    const base = await cli.ready();
    await fetch(`${base}${API}/webhooks/search`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    await fetch(`${base}${API}/webhooks/search`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    await new Promise((r) => setTimeout(r, 200));
    const log = lines(cli.stderr());
    expect(log.some((l) => l.msg === `OPTIONS ${API}/webhooks/search (CORS preflight)` && l.origin === "http://localhost:5173")).toBe(true);
    const refused = log.find((l) => l.origin === "https://evil.example" && l.level === 40);
    expect(refused.msg).toContain("--cors-origin https://evil.example");
  });

  it("prints pretty lines with --log-format pretty and nothing below --log-level", async () => {
    const cli = startCli(["--port", "0", "--in-memory", "--log-requests", "--log-format", "pretty", "--log-level", "warn"]);
    const base = await cli.ready();
    await httpLogin(base, "admin");
    await fetch(`${base}${API}/webhooks/search`, { method: "OPTIONS", headers: { origin: "https://evil.example" } });
    await new Promise((r) => setTimeout(r, 200));
    expect(cli.stderr()).toMatch(/^\[emulator\] WARN Refused the browser origin https:\/\/evil\.example/m);
    expect(cli.stderr()).not.toMatch(/auth\/token\/full 200/);
  });
});
