import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { call, debugText, emulator, login } from "../support/index.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const CASES: { name: string; rule: unknown; path: string; says: RegExp }[] = [
  {
    name: "an unknown operation",
    rule: { match: { operation: "searchWebhookConfigurationz" }, outcome: { delay_ms: 10 } },
    path: "rules[0].match.operation",
    says: /unknown operation "searchWebhookConfigurationz"; expected "\*" or one of: .*"searchWebhookConfigurations"/,
  },
  {
    name: "an unknown hook",
    rule: { match: { hook: "validation.htp" }, outcome: { http_status: 500 } },
    path: "rules[0].match.hook",
    says: /unknown hook "validation.htp"; expected one of: "validation.http", "delivery.attempt"/,
  },
  {
    name: "an outcome field of another hook",
    rule: { match: { hook: "token.check" }, outcome: { storage_error: "x" } },
    path: "rules[0].outcome.storage_error",
    says: /not an outcome of hook token.check \(it understands: "expired"\)/,
  },
  {
    name: "a transport outcome on a domain hook",
    rule: { match: { hook: "validation.http" }, outcome: { drop: true } },
    path: "rules[0].outcome.drop",
    says: /not an outcome of hook validation.http \(it understands: "http_status", "network_error", "delay_ms"\)/,
  },
  {
    name: "a filter the hook cannot know",
    rule: { match: { hook: "token.issue", url: "https://*" }, outcome: { validity_time_in_sec: 5 } },
    path: "rules[0].match.url",
    says: /not a filter of hook token.issue \(its filters: "org"\)/,
  },
  {
    name: "both operation and hook",
    rule: { match: { operation: "*", hook: "token.check" }, outcome: { expired: true } },
    path: "rules[0].match",
    says: /exactly one of match.operation/,
  },
  {
    name: "a wrong value type",
    rule: { match: { hook: "validation.http" }, outcome: { http_status: "503" } },
    path: "rules[0].outcome.http_status",
    says: /expected number/,
  },
  {
    name: "an unknown network error",
    rule: { match: { hook: "delivery.attempt" }, outcome: { network_error: "TIMEOUTS" } },
    path: "rules[0].outcome.network_error",
    says: /"CONNECTION_REFUSED"\|"TIMEOUT"|CONNECTION_REFUSED/,
  },
];

describe("a scenario rule that cannot work", () => {
  it.each(CASES)("with $name is a 400 from PUT /_emulator/scenarios/active naming the path", async ({ rule, path, says }) => {
    const emu = await emulator();
    const res = await call(emu, "PUT", "/_emulator/scenarios/active", { rules: [rule] });
    expect(res.status).toBe(400);
    const text = debugText(res.body);
    expect(text).toContain(`Invalid scenario at ${path}: `);
    expect(text).toMatch(says);
    expect((await call(emu, "GET", "/_emulator/scenarios")).body.active).toEqual([]);
  });

  it.each(CASES)("with $name stops start-up naming the file and the path", async ({ rule, path, says }) => {
    const dir = await mkdtemp(join(tmpdir(), "scenarios-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "broken.json");
    await writeFile(file, JSON.stringify({ name: "broken", rules: [rule] }));
    const started = emulator({ scenariosDir: dir });
    await expect(started).rejects.toThrow(`[emulator] Scenario file ${file} is invalid at ${path}: `);
    await expect(started).rejects.toThrow(says);
  });
});

describe("scenario precedence", () => {
  it("lets a scenario activated at run time win over one given at start", async () => {
    const emu = await emulator({ scenarios: ["webhook-returns-500"] });
    const on = await call(emu, "POST", "/_emulator/scenarios/webhook-unauthorized/activate");
    expect(on.body.active.map((a: { name: string }) => a.name)).toEqual(["webhook-unauthorized", "webhook-returns-500"]);
    const token = await login(emu, "admin");
    const hook = await call(
      emu,
      "POST",
      "/webhooks/create",
      { name: "R", url: "https://example.com/h", events: ["LIVEBOARD_SCHEDULE"] },
      { token },
    );
    const res = await call(
      emu,
      "POST",
      "/system/communication-channels/validate",
      { channel_type: "WEBHOOK", channel_identifier: hook.body.id, event_type: "LIVEBOARD_SCHEDULE" },
      { token },
    );
    expect(res.body.details[0].http_status).toBe(401);
  });

  it("lets the most recent run-time activation win, and a request's header win over both", async () => {
    const emu = await emulator();
    await call(emu, "POST", "/_emulator/scenarios/webhook-returns-500/activate");
    await call(emu, "POST", "/_emulator/scenarios/webhook-unauthorized/activate");
    const token = await login(emu, "admin");
    const hook = await call(
      emu,
      "POST",
      "/webhooks/create",
      { name: "R", url: "https://example.com/h", events: ["LIVEBOARD_SCHEDULE"] },
      { token },
    );
    const body = { channel_type: "WEBHOOK", channel_identifier: hook.body.id, event_type: "LIVEBOARD_SCHEDULE" };
    expect((await call(emu, "POST", "/system/communication-channels/validate", body, { token })).body.details[0].http_status).toBe(401);
    const withHeader = await call(emu, "POST", "/system/communication-channels/validate", body, {
      token,
      headers: { "x-emulator-scenario": "webhook-unreachable" },
    });
    expect(withHeader.body.details[0].error_message).toMatch(/ECONNREFUSED/);
    await call(emu, "POST", "/_emulator/scenarios/webhook-returns-500/activate");
    expect((await call(emu, "POST", "/system/communication-channels/validate", body, { token })).body.details[0].http_status).toBe(500);
  });

  it("goes back to the start-up set on reset", async () => {
    const emu = await emulator({ scenarios: ["slow-api"] });
    await call(emu, "POST", "/_emulator/scenarios/webhook-unauthorized/activate");
    await call(emu, "POST", "/_emulator/reset");
    const active = (await call(emu, "GET", "/_emulator/scenarios")).body.active;
    expect(active.map((a: { name: string; source: string }) => [a.name, a.source])).toEqual([["slow-api", "startup"]]);
  });
});

describe("a URL glob", () => {
  it("is matched in linear time, even for a pattern that backtracks exponentially as a regex", async () => {
    const emu = await emulator();
    const pattern = `${"*a".repeat(40)}*b`;
    const put = await call(emu, "PUT", "/_emulator/scenarios/active", {
      rules: [{ match: { hook: "validation.http", url: pattern }, outcome: { http_status: 500 } }],
    });
    expect(put.status).toBe(200);
    const token = await login(emu, "admin");
    const url = `https://example.com/${"a".repeat(1500)}`;
    const hook = await call(emu, "POST", "/webhooks/create", { name: "R", url, events: ["LIVEBOARD_SCHEDULE"] }, { token });
    const started = performance.now();
    const res = await call(
      emu,
      "POST",
      "/system/communication-channels/validate",
      { channel_type: "WEBHOOK", channel_identifier: hook.body.id, event_type: "LIVEBOARD_SCHEDULE" },
      { token },
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.body.details[0].http_status).toBe(200);
  });
});
