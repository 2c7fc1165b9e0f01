/**
 * Limits on what a request may hold (README "Limits"): field lengths, list sizes, body nesting and
 * value count, the history search bound and --max-jobs. Every refusal is a 400 (10002) that names
 * the field and the limit.
 */
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { call, createWebhook, debugText, emulator, errorCode, frozenClock, login, S3_DESTINATION, WEBHOOK } from "../support/index.js";

const HISTORY = "/jobs/history/communication-channels/search";
const ORG1 = 2100019165;
const START = Date.UTC(2026, 2, 3, 10, 0, 0);

async function session(options = {}): Promise<{ emu: Emulator; token: string }> {
  const emu = await emulator({ clock: frozenClock(START), ...options });
  return { emu, token: await login(emu, "admin", ORG1) };
}

/** The 400 a call answers, as its debug text; fails unless it is a 400 with code 10002. */
async function refusal(emu: Emulator, token: string, path: string, body: unknown, raw?: string): Promise<string> {
  const res = await call(emu, "POST", path, body, { token, raw });
  expect(res.status, res.text).toBe(400);
  expect(errorCode(res.body)).toBe(10002);
  return debugText(res.body);
}

const s3 = (path_prefix: string) => ({
  ...S3_DESTINATION,
  storage_config: { aws_s3_config: { ...S3_DESTINATION.storage_config.aws_s3_config, path_prefix } },
});

describe("field limits", () => {
  it("refuses strings over their limit with a 400 naming the field and the limit", async () => {
    const { emu, token } = await session();
    const create = (over: Record<string, unknown>) => refusal(emu, token, "/webhooks/create", { ...WEBHOOK, ...over });
    expect(await create({ name: "n".repeat(256) })).toBe("Field 'name' can be at most 255 characters long.");
    expect(await create({ url: `https://hooks.example.com/${"a".repeat(2048)}` })).toBe("Field 'url' can be at most 2048 characters long.");
    expect(await create({ description: "d".repeat(4097) })).toBe("Field 'description' can be at most 4096 characters long.");
    expect(await create({ storage_destination: s3(`a${"/".repeat(1_000_000)}a`) })).toBe(
      "Field 'storage_destination.storage_config.aws_s3_config.path_prefix' can be at most 1024 characters long.",
    );
    expect(await create({ authentication: { BEARER_TOKEN: "t".repeat(4097) } })).toBe(
      "Field 'authentication.BEARER_TOKEN' can be at most 4096 characters long.",
    );
    expect(await refusal(emu, token, HISTORY, { channel_type: "WEBHOOK", job_ids: ["j".repeat(256)] })).toBe(
      "Field 'job_ids[0]' can be at most 255 characters long.",
    );
    expect(
      await refusal(emu, token, "/system/communication-channels/validate", {
        channel_type: "WEBHOOK",
        channel_identifier: "c".repeat(256),
        event_type: "LIVEBOARD_SCHEDULE",
      }),
    ).toBe("Field 'channel_identifier' can be at most 255 characters long.");
    const login = await call(emu, "POST", "/auth/token/full", { username: "u".repeat(256), password: "x" });
    expect(debugText(login.body)).toBe("Field 'username' can be at most 255 characters long.");
    expect(await refusal(emu, token, `/webhooks/${"w".repeat(256)}/update`, { name: "x" })).toBe(
      "Field 'webhook_identifier' can be at most 255 characters long.",
    );
  });

  it("accepts every field at exactly its limit", async () => {
    const { emu, token } = await session();
    const hook = await createWebhook(emu, token, {
      name: "n".repeat(255),
      url: `https://hooks.example.com/${"a".repeat(2048 - 26)}`,
      description: "d".repeat(4096),
      storage_destination: s3("p".repeat(1024)),
      additional_headers: Array.from({ length: 100 }, (_, i) => ({ key: `X-H${i}`, value: "v".repeat(4096) })),
      url_params: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`.padEnd(255, "k"), i])),
    });
    expect(hook.name).toHaveLength(255);
    expect(hook.storage_destination.storage_config.aws_s3_config.path_prefix).toHaveLength(1024);
    expect(Object.keys(hook.url_params)).toHaveLength(100);
  });

  it("refuses lists and maps over their limit with a 400 naming the field and the limit", async () => {
    const { emu, token } = await session();
    const create = (over: Record<string, unknown>) => refusal(emu, token, "/webhooks/create", { ...WEBHOOK, ...over });
    expect(await create({ additional_headers: Array.from({ length: 101 }, (_, i) => ({ key: `X-${i}`, value: "v" })) })).toBe(
      "Field 'additional_headers' can contain at most 100 elements.",
    );
    expect(await create({ url_params: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, "v"])) })).toBe(
      "Field 'url_params' can contain at most 100 entries.",
    );
    expect(await create({ url_params: { ["k".repeat(256)]: "v" } })).toBe("Field 'url_params' has a key longer than 255 characters.");
    expect(await create({ events: Array(11).fill("LIVEBOARD_SCHEDULE") })).toBe("Field 'events' can contain at most 10 elements.");
    expect(await refusal(emu, token, "/webhooks/delete", { webhook_identifiers: Array.from({ length: 101 }, (_, i) => `w${i}`) })).toBe(
      "Field 'webhook_identifiers' can contain at most 100 elements.",
    );
  });

  it("refuses an admin request over a limit, saying where and which limit", async () => {
    const { emu, token } = await session();
    const res = await call(emu, "POST", "/_emulator/jobs/synthesize", { channel_identifier: "c".repeat(256) }, { token });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toBe("Invalid admin request at channel_identifier: can be at most 255 characters long");
    const recipients = Array.from({ length: 101 }, () => ({ type: "EXTERNAL", email: "a@example.com" }));
    const many = await call(emu, "POST", "/_emulator/deliveries", { channel_identifier: "x", recipients }, { token });
    expect(debugText(many.body)).toBe("Invalid admin request at recipients: can contain at most 100 elements");
  });

  it("never echoes more than 64 characters of a caller's own key in an error text", async () => {
    const { emu, token } = await session();
    const key = "k".repeat(100_000);
    const res = await call(emu, "POST", "/_emulator/clock", { [key]: 1, other: 2 }, { token });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toBe(`Invalid admin request at (root): unknown field '${"k".repeat(64)}…' (and 1 more)`);
    expect(res.text.length).toBeLessThan(1000);
  });
});

describe("body shape limits", () => {
  it("refuses a body nested more than 32 levels deep before parsing it, and accepts 32", async () => {
    const { emu, token } = await session();
    const nest = (levels: number) => `{"a":${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;
    expect(await refusal(emu, token, "/webhooks/search", undefined, nest(33))).toBe("The request body is nested more than 32 levels deep.");
    expect(await refusal(emu, token, "/webhooks/search", undefined, "[".repeat(1_000_000))).toBe(
      "The request body is nested more than 32 levels deep.",
    );
    const ok = await call(emu, "POST", "/webhooks/search", undefined, { token, raw: nest(32) });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.webhooks).toEqual([]);
  });

  it("counts brackets inside strings as text, not nesting", async () => {
    const { emu, token } = await session();
    const hook = await createWebhook(emu, token, { description: `[{"\\"${"[".repeat(2000)}` });
    expect(hook.description).toBe(`[{"\\"${"[".repeat(2000)}`);
  });

  it("refuses a body of more than 50,000 JSON values before parsing it", async () => {
    const { emu, token } = await session();
    const wide = `{"a":[${"1,".repeat(60_000)}1]}`;
    expect(await refusal(emu, token, "/webhooks/search", undefined, wide)).toBe("The request body holds more than 50000 JSON values.");
    const objects = `{"a":[${"{},".repeat(300_000)}{}]}`;
    expect(await refusal(emu, token, "/webhooks/search", undefined, objects)).toBe("The request body holds more than 50000 JSON values.");
  });
});

describe("history search bound", () => {
  it("answers the newest 1,000 matching jobs, newest first; end_epoch_time_in_millis reaches the older ones", async () => {
    const { emu, token } = await session();
    const hook = await createWebhook(emu, token);
    const synth = await call(emu, "POST", "/_emulator/jobs/synthesize", { days: 3, runs_per_day: 500 }, { token });
    expect(synth.status, synth.text).toBe(200);
    const total = synth.body.created[0].jobs;
    expect(total).toBeGreaterThan(1400);
    const search = (extra = {}) =>
      call(
        emu,
        "POST",
        HISTORY,
        { channel_type: "WEBHOOK", channel_identifiers: [hook.id], events: [{ type: "LIVEBOARD_SCHEDULE" }], ...extra },
        { token },
      );
    const first = await search();
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/json");
    const times = first.body.jobs.map((j: { creation_time_in_millis: number }) => j.creation_time_in_millis);
    expect(times).toHaveLength(1000);
    expect(times).toEqual([...times].sort((a: number, b: number) => b - a));
    const rest = await search({ end_epoch_time_in_millis: times.at(-1) });
    expect(rest.body.jobs).toHaveLength(total - 1000);
    expect(rest.body.jobs[0].creation_time_in_millis).toBeLessThan(times.at(-1));
    const ids = new Set([...first.body.jobs, ...rest.body.jobs].map((j: { id: string }) => j.id));
    expect(ids.size).toBe(total);
  });

  it("applies the bound after the filters: the newest 1,000 of the FAILED jobs", async () => {
    const { emu, token } = await session();
    const hook = await createWebhook(emu, token);
    await call(emu, "POST", "/_emulator/jobs/synthesize", { days: 3, runs_per_day: 2000, failure_rate: 0.5 }, { token });
    const res = await call(
      emu,
      "POST",
      HISTORY,
      { channel_type: "WEBHOOK", channel_identifiers: [hook.id], events: [{ type: "LIVEBOARD_SCHEDULE" }], channel_status: "FAILED" },
      { token },
    );
    expect(res.body.jobs).toHaveLength(1000);
    expect(new Set(res.body.jobs.map((j: { status: string }) => j.status))).toEqual(new Set(["FAILED"]));
  });
});

describe("--max-jobs", () => {
  it("refuses a synthesis that would take the namespace past --max-jobs, and stores none of it", async () => {
    const { emu, token } = await session({ maxJobs: 500 });
    const hook = await createWebhook(emu, token);
    const res = await call(emu, "POST", "/_emulator/jobs/synthesize", { days: 3, runs_per_day: 200 }, { token });
    expect(res.status).toBe(400);
    expect(debugText(res.body)).toMatch(
      /^Namespace 'default' may hold at most 500 history jobs \(--max-jobs\): it holds 0, and this would add 6\d\d\. Synthesize fewer days or runs_per_day, reset the namespace \(POST \/_emulator\/reset\) or start with a higher --max-jobs\.$/,
    );
    const found = await call(
      emu,
      "POST",
      HISTORY,
      { channel_type: "WEBHOOK", channel_identifiers: [hook.id], events: [{ type: "LIVEBOARD_SCHEDULE" }] },
      { token },
    );
    expect(found.body.jobs).toEqual([]);
  });

  it("refuses a validation once the namespace holds --max-jobs jobs, and takes jobs again after a reset", async () => {
    const { emu, token } = await session({ maxJobs: 40 });
    const hook = await createWebhook(emu, token);
    const synth = await call(emu, "POST", "/_emulator/jobs/synthesize", { days: 3, runs_per_day: 10 }, { token });
    expect(synth.status, synth.text).toBe(200);
    const validate = { channel_type: "WEBHOOK", channel_identifier: hook.id, event_type: "LIVEBOARD_SCHEDULE" };
    let validated = 0;
    let refused = await call(emu, "POST", "/system/communication-channels/validate", validate, { token });
    for (; refused.status === 200 && validated < 40; validated++) {
      refused = await call(emu, "POST", "/system/communication-channels/validate", validate, { token });
    }
    expect(synth.body.created[0].jobs + validated).toBe(40);
    expect(refused.status).toBe(400);
    expect(debugText(refused.body)).toMatch(
      /^Namespace 'default' may hold at most 40 history jobs \(--max-jobs\): it holds 40, and this would add 1\./,
    );
    await call(emu, "POST", "/_emulator/reset", {});
    const fresh = await login(emu, "admin", ORG1);
    const again = await createWebhook(emu, fresh);
    const ok = await call(
      emu,
      "POST",
      "/system/communication-channels/validate",
      { ...validate, channel_identifier: again.id },
      { token: fresh },
    );
    expect(ok.status, ok.text).toBe(200);
  });
});
