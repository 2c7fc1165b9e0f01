import { afterEach, describe, expect, it } from "vitest";
import { createClock } from "../src/clock.js";
import type { Emulator } from "../src/index.js";
import { call, emulator, http, killAll, login, startCli, WEBHOOK } from "./support/index.js";

const START = Date.parse("2026-03-30T13:10:30Z");

async function historyOf(emu: Emulator, token: string, webhookId: string) {
  const res = await call(
    emu,
    "POST",
    "/jobs/history/communication-channels/search",
    {
      channel_type: "WEBHOOK",
      channel_identifiers: [webhookId],
      events: [{ type: "LIVEBOARD_SCHEDULE" }],
    },
    { token },
  );
  return res;
}

/** A full session: token, webhook, synthesized history, a validation; every byte of output. */
async function session(seed: number) {
  const emu = await emulator({ seed, clockStart: START, freezeClock: true });
  const token = await login(emu, "admin", 2100019165);
  const wh = await call(emu, "POST", "/webhooks/create", WEBHOOK, { token });
  const synth = await call(
    emu,
    "POST",
    "/_emulator/jobs/synthesize",
    { channel_identifier: wh.body.id, org_identifier: "testOrg1", days: 3, runs_per_day: 24, failure_rate: 0.1, retry_rate: 0.2 },
    { token },
  );
  const val = await call(
    emu,
    "POST",
    "/system/communication-channels/validate",
    { channel_type: "WEBHOOK", channel_identifier: wh.body.id, event_type: "LIVEBOARD_SCHEDULE" },
    { token },
  );
  const hist = await historyOf(emu, token, wh.body.id);
  return { token, webhook: wh.text, synth: synth.text, validation: val.text, history: hist.text, jobs: hist.body.jobs };
}

describe("determinism under a seed and a controllable clock", () => {
  it("gives byte-identical tokens, ids and history for the same seed and clock", async () => {
    const a = await session(1234);
    const b = await session(1234);
    expect(a.jobs.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
  });

  it("gives different ids and history for a different seed", async () => {
    const a = await session(1);
    const b = await session(2);
    expect(a.token).not.toBe(b.token);
    expect(a.history).not.toBe(b.history);
  });

  it("synthesizes history that looks like a real cluster's", async () => {
    const { jobs } = await session(5);
    const synthesized = jobs.filter((j: any) => !j.id.startsWith("n.validation-"));
    const schedules = new Map<string, Set<string>>();
    for (const j of synthesized) {
      expect(j.id).toMatch(/^n\.[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(j.event.name).toEqual(expect.any(String));
      expect(j.event.run_id).toMatch(/^[0-9a-f-]{36}$/);
      if (!schedules.has(j.event.name)) schedules.set(j.event.name, new Set());
      schedules.get(j.event.name)!.add(j.event.id);
      for (const r of j.recipients) {
        expect(["USER", "EXTERNAL"]).toContain(r.type);
        expect(r.email).toMatch(/@/);
      }
      if (j.status === "FAILED") expect(j.detail).not.toBe("");
      if (j.status === "PENDING" || j.status === "RETRY") expect(START - j.creation_time_in_millis).toBeLessThan(30 * 60_000);
      expect(START - j.creation_time_in_millis).toBeLessThan(3 * 86_400_000);
    }
    // one stable schedule id per schedule name, fresh run ids
    for (const ids of schedules.values()) expect(ids.size).toBe(1);
    expect(new Set(synthesized.map((j: any) => j.event.run_id)).size).toBe(synthesized.length);
    expect(synthesized.some((j: any) => j.try_count > 1)).toBe(true);
    // newest first
    const times = jobs.map((j: any) => j.creation_time_in_millis);
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it("moves the clock with POST /_emulator/clock and expires history past retention", async () => {
    const emu = await emulator({ clockStart: START, freezeClock: true });
    const token = await login(emu, "admin", 2100019165, undefined);
    const wh = await call(emu, "POST", "/webhooks/create", WEBHOOK, { token });
    await call(
      emu,
      "POST",
      "/system/communication-channels/validate",
      { channel_type: "WEBHOOK", channel_identifier: wh.body.id, event_type: "LIVEBOARD_SCHEDULE" },
      { token },
    );
    const fresh = await call(emu, "POST", "/auth/token/full", {
      username: "tsadmin",
      password: "admin",
      org_id: 2100019165,
      validity_time_in_sec: 10 * 86400,
    });
    const before = await historyOf(emu, token, wh.body.id);
    expect(before.body.jobs).toHaveLength(1);
    expect(before.body.jobs[0].creation_time_in_millis).toBe(START);

    const moved = await call(emu, "POST", "/_emulator/clock", { advance_ms: 3 * 86_400_000 + 1 });
    expect(moved.body).toEqual({ now: START + 3 * 86_400_000 + 1, iso: "2026-04-02T13:10:30.001Z", frozen: true });
    const after = await historyOf(emu, fresh.body.token, wh.body.id);
    expect(after.body.jobs).toEqual([]);
    // the 300 s token issued at the start has expired on the emulator clock
    expect((await call(emu, "POST", "/webhooks/search", {}, { token })).status).toBe(401);
  });

  it("sets, freezes and unfreezes the clock", async () => {
    const emu = await emulator({ clock: createClock(START) });
    const set = await call(emu, "POST", "/_emulator/clock", { now: "2027-01-01T00:00:00Z", freeze: true });
    expect(set.body).toMatchObject({ now: Date.parse("2027-01-01T00:00:00Z"), frozen: true });
    await new Promise((r) => setTimeout(r, 20));
    expect((await call(emu, "GET", "/_emulator/clock")).body.now).toBe(Date.parse("2027-01-01T00:00:00Z"));
    const running = await call(emu, "POST", "/_emulator/clock", { freeze: false });
    expect(running.body.frozen).toBe(false);
    const bad = await call(emu, "POST", "/_emulator/clock", { now: "yesterday-ish" });
    expect(bad.status).toBe(400);
  });

  it("synthesizes history at start with --history for fixture webhooks", async () => {
    const fixtures = JSON.parse((await import("node:fs")).readFileSync("fixtures/demo.json", "utf8"));
    const emu = await emulator({ fixtures, history: { days: 2, runsPerDay: 12 }, clockStart: START, freezeClock: true });
    const token = await login(emu, "admin", 2100019165);
    const hook = fixtures.webhooks[0];
    const res = await historyOf(emu, token, hook.id);
    expect(res.body.jobs.length).toBeGreaterThanOrEqual(20);
  });
});

describe("determinism across processes", () => {
  afterEach(() => killAll());

  it("two CLI runs with the same --seed, --clock and --history give byte-identical tokens and history", async () => {
    const run = async () => {
      const cli = startCli([
        "--port",
        "0",
        "--in-memory",
        "--seed",
        "77",
        "--clock",
        "2026-03-30T13:10:30Z",
        "--freeze-clock",
        "--fixtures",
        "fixtures/demo.json",
        "--history",
        "2,24",
      ]);
      const url = await cli.ready();
      const token = await http(url, "/api/rest/2.0/auth/token/full", { username: "tsadmin", password: "admin", org_id: 2100019165 });
      const hist = await http(
        url,
        "/api/rest/2.0/jobs/history/communication-channels/search",
        {
          channel_type: "WEBHOOK",
          channel_identifiers: ["9185f9be-f237-42bf-b452-c2dc897e1673"],
          events: [{ type: "LIVEBOARD_SCHEDULE" }],
        },
        token.body.token,
      );
      await cli.kill();
      return { token: token.text, history: hist.text, jobs: hist.body.jobs.length };
    };
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.jobs).toBeGreaterThanOrEqual(40);
    expect(b).toEqual(a);
  });
});
