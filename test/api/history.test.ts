import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/index.js";
import { call, createWebhook, debugText, emulator, errorCode, frozenClock, login, validateOk } from "../support/index.js";

const HISTORY = "/jobs/history/communication-channels/search";
const VALIDATE = "/system/communication-channels/validate";
const DAY = 86_400_000;
const START = Date.UTC(2026, 1, 26, 9, 25, 32, 123);
const ORG1 = 2100019165;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JOB_KEYS = ["id", "status", "creation_time_in_millis", "event", "recipients", "detail", "try_count"];
const EVENTS = [{ type: "LIVEBOARD_SCHEDULE" }];

interface Job {
  id: string;
  status: string;
  creation_time_in_millis: number;
  event: { type: string; id: string; name: string | null; run_id: string | null };
  recipients: { type: string; id: string | null; name: string | null; email: string | null }[] | null;
  detail: string | null;
  try_count: number;
}

/** The webhook these tests create (WEBHOOK at another URL). */
const HOOK = { url: "https://hooks.example.com/x" };

/** Validates the webhook; returns the job id. */
async function validationJob(emu: Emulator, token: string, id: string): Promise<string> {
  return (await validateOk(emu, token, id)).job_id;
}

async function synthesize(emu: Emulator, token: string, body: Record<string, unknown>) {
  const res = await call(emu, "POST", "/_emulator/jobs/synthesize", body, { token });
  expect(res.status, res.text).toBe(200);
  return res.body as { created: { channel_id: string; channel_name: string; jobs: number }[] };
}

async function history(emu: Emulator, token: string, body: Record<string, unknown>): Promise<Job[]> {
  const res = await call(emu, "POST", HISTORY, { channel_type: "WEBHOOK", ...body }, { token });
  expect(res.status, res.text).toBe(200);
  expect(Object.keys(res.body)).toEqual(["jobs"]);
  return res.body.jobs;
}

async function historyError(emu: Emulator, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await call(emu, "POST", HISTORY, body, { token });
  expect(res.status, res.text).toBe(400);
  expect(errorCode(res.body)).toBe(10002);
  return debugText(res.body);
}

/** A webhook in testOrg1 with a few days of synthesized history. */
async function withHistory(options: Parameters<typeof emulator>[0] = {}, synth: Record<string, unknown> = {}) {
  const emu = await emulator({ clock: frozenClock(START), ...options });
  const token = await login(emu, "admin", ORG1);
  const wh = await createWebhook(emu, token, HOOK);
  const created = await synthesize(emu, token, {
    channel_identifier: wh.id,
    days: 3,
    runs_per_day: 24,
    failure_rate: 0.2,
    retry_rate: 0.3,
    ...synth,
  });
  const all = await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS });
  return { emu, token, wh, created, all };
}

describe("delivery history request rules", () => {
  it("requires channel_type", async () => {
    const emu = await emulator();
    const token = await login(emu);
    expect(await historyError(emu, token, { job_ids: ["n.validation-0e55b1de-8c30-48d1-8c73-2f0365e03641"] })).toBe(
      "channel_type must be specified. Currently only WEBHOOK is supported.",
    );
  });

  it("rejects a channel_type other than WEBHOOK", async () => {
    const emu = await emulator();
    const token = await login(emu);
    expect(await historyError(emu, token, { channel_type: "EMAIL", job_ids: ["n.x"] })).toBe(
      "channel_type must be specified. Currently only WEBHOOK is supported.",
    );
  });

  it("accepts at most one job id", async () => {
    const emu = await emulator();
    const token = await login(emu);
    const text = await historyError(emu, token, { channel_type: "WEBHOOK", job_ids: ["n.a", "n.b"] });
    expect(text).toContain("job_ids");
  });

  it("accepts at most one channel identifier and at most one event", async () => {
    const emu = await emulator();
    const token = await login(emu);
    expect(await historyError(emu, token, { channel_type: "WEBHOOK", channel_identifiers: ["a", "b"], events: EVENTS })).toContain(
      "channel_identifiers",
    );
    expect(
      await historyError(emu, token, { channel_type: "WEBHOOK", channel_identifiers: ["a"], events: [...EVENTS, ...EVENTS] }),
    ).toContain("events");
  });

  it("requires both channel_identifiers and events when no job id is given", async () => {
    const emu = await emulator();
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, HOOK);
    await historyError(emu, token, { channel_type: "WEBHOOK", channel_identifiers: [wh.id] });
    await historyError(emu, token, { channel_type: "WEBHOOK", events: EVENTS });
    await historyError(emu, token, { channel_type: "WEBHOOK" });
    await historyError(emu, token, { channel_type: "WEBHOOK", channel_identifiers: [], events: [] });
  });

  it("rejects a bad channel_status and a bad event type with a 400 naming the field", async () => {
    const emu = await emulator();
    const token = await login(emu);
    expect(
      await historyError(emu, token, { channel_type: "WEBHOOK", channel_identifiers: ["a"], events: EVENTS, channel_status: "DONE" }),
    ).toContain("channel_status");
    expect(
      await historyError(emu, token, { channel_type: "WEBHOOK", channel_identifiers: ["a"], events: [{ type: "USER_SIGNUP" }] }),
    ).toContain("events");
    expect(
      await historyError(emu, token, {
        channel_type: "WEBHOOK",
        channel_identifiers: ["a"],
        events: EVENTS,
        start_epoch_time_in_millis: "yesterday",
      }),
    ).toContain("start_epoch_time_in_millis");
  });

  it("forbids an analyst with 403 10023 and lets a webhook manager search", async () => {
    const emu = await emulator();
    const analyst = await login(emu, "analyst");
    const res = await call(emu, "POST", HISTORY, { channel_type: "WEBHOOK", job_ids: ["n.x"] }, { token: analyst });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe(10023);
    const manager = await login(emu, "webhookManager");
    expect(await history(emu, manager, { job_ids: ["n.x"] })).toEqual([]);
  });
});

describe("searching delivery history by job id", () => {
  it("returns the one job and ignores every other filter", async () => {
    const emu = await emulator({ clock: frozenClock(START) });
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, HOOK);
    const jobId = await validationJob(emu, token, wh.id);
    const expected: Job = {
      id: jobId,
      status: "SUCCESS",
      creation_time_in_millis: START,
      event: { type: "LIVEBOARD_SCHEDULE", id: `validation-${wh.id}`, name: null, run_id: null },
      recipients: null,
      detail: "",
      try_count: 1,
    };
    const jobs = await history(emu, token, {
      job_ids: [jobId],
      channel_identifiers: ["no-such-webhook"],
      channel_status: "FAILED",
      events: [{ type: "LIVEBOARD_SCHEDULE", identifier: "no-such-schedule" }],
      start_epoch_time_in_millis: START + DAY,
      end_epoch_time_in_millis: START - DAY,
    });
    expect(jobs).toEqual([expected]);
    expect(Object.keys(jobs[0])).toEqual(JOB_KEYS);
    expect(Object.keys(jobs[0].event)).toEqual(["type", "id", "name", "run_id"]);
  });

  it("returns no jobs for an unknown job id", async () => {
    const emu = await emulator();
    const token = await login(emu);
    expect(await history(emu, token, { job_ids: ["n.validation-0e55b1de-8c30-48d1-8c73-2f0365e03641"] })).toEqual([]);
  });
});

describe("searching delivery history by channel and event", () => {
  it("lists a channel's jobs newest first", async () => {
    const clock = frozenClock(START);
    const emu = await emulator({ clock });
    const token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, HOOK);
    const first = await validationJob(emu, token, wh.id);
    clock.advance(1000);
    const second = await validationJob(emu, token, wh.id);
    clock.advance(1000);
    const third = await validationJob(emu, token, wh.id);
    const jobs = await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS });
    expect(jobs.map((j) => j.id)).toEqual([third, second, first]);
    expect(jobs.map((j) => j.creation_time_in_millis)).toEqual([START + 2000, START + 1000, START]);
  });

  it("sorts synthesized history newest first", async () => {
    const { all } = await withHistory();
    expect(all.length).toBeGreaterThan(50);
    for (let i = 1; i < all.length; i++) {
      expect(all[i - 1].creation_time_in_millis).toBeGreaterThanOrEqual(all[i].creation_time_in_millis);
    }
  });

  it("accepts the webhook name as channel identifier", async () => {
    const { emu, token, all } = await withHistory();
    expect(await history(emu, token, { channel_identifiers: ["Zapier"], events: EVENTS })).toEqual(all);
  });

  it("filters by channel_status", async () => {
    const { emu, token, wh, all } = await withHistory();
    let total = 0;
    for (const status of ["PENDING", "RETRY", "SUCCESS", "FAILED"]) {
      const jobs = await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS, channel_status: status });
      expect(jobs).toEqual(all.filter((j) => j.status === status));
      total += jobs.length;
    }
    expect(total).toBe(all.length);
    expect(all.some((j) => j.status === "SUCCESS")).toBe(true);
    expect(all.some((j) => j.status === "FAILED")).toBe(true);
  });

  it("treats start as inclusive and end as exclusive", async () => {
    const { emu, token, wh, all } = await withHistory();
    const pivot = all[Math.floor(all.length / 2)].creation_time_in_millis;
    const base = { channel_identifiers: [wh.id], events: EVENTS };
    const from = await history(emu, token, { ...base, start_epoch_time_in_millis: pivot });
    expect(from).toEqual(all.filter((j) => j.creation_time_in_millis >= pivot));
    expect(from.at(-1)!.creation_time_in_millis).toBe(pivot);
    const before = await history(emu, token, { ...base, end_epoch_time_in_millis: pivot });
    expect(before).toEqual(all.filter((j) => j.creation_time_in_millis < pivot));
    expect(before.every((j) => j.creation_time_in_millis !== pivot)).toBe(true);
    const exactly = await history(emu, token, { ...base, start_epoch_time_in_millis: pivot, end_epoch_time_in_millis: pivot + 1 });
    expect(exactly.length).toBeGreaterThan(0);
    expect(exactly).toEqual(all.filter((j) => j.creation_time_in_millis === pivot));
    expect(await history(emu, token, { ...base, start_epoch_time_in_millis: pivot, end_epoch_time_in_millis: pivot })).toEqual([]);
  });

  it("filters by schedule id and by schedule name", async () => {
    const { emu, token, wh, all } = await withHistory();
    const sample = all.find((j) => j.event.name !== null)!;
    const sameSchedule = all.filter((j) => j.event.id === sample.event.id);
    expect(sameSchedule.length).toBeGreaterThan(1);
    expect(sameSchedule.length).toBeLessThan(all.length);
    const byId = await history(emu, token, {
      channel_identifiers: [wh.id],
      events: [{ type: "LIVEBOARD_SCHEDULE", identifier: sample.event.id }],
    });
    expect(byId).toEqual(sameSchedule);
    const byName = await history(emu, token, {
      channel_identifiers: [wh.id],
      events: [{ type: "LIVEBOARD_SCHEDULE", identifier: sample.event.name }],
    });
    expect(byName).toEqual(all.filter((j) => j.event.name === sample.event.name));
    expect(byName).toEqual(sameSchedule);
    expect(
      await history(emu, token, { channel_identifiers: [wh.id], events: [{ type: "LIVEBOARD_SCHEDULE", identifier: "No Such Schedule" }] }),
    ).toEqual([]);
  });

  it("finds validation jobs by their validation-<webhook id> event id", async () => {
    const { emu, token, wh } = await withHistory();
    const jobId = await validationJob(emu, token, wh.id);
    const jobs = await history(emu, token, {
      channel_identifiers: [wh.id],
      events: [{ type: "LIVEBOARD_SCHEDULE", identifier: `validation-${wh.id}` }],
    });
    expect(jobs.map((j) => j.id)).toEqual([jobId]);
    const all = await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS });
    expect(all[0].id).toBe(jobId);
  });

  it("returns no jobs for an unknown channel", async () => {
    const { emu, token } = await withHistory();
    expect(await history(emu, token, { channel_identifiers: ["3791ad80-70e8-4222-bf11-fb8a5f1b5bf4"], events: EVENTS })).toEqual([]);
  });
});

describe("synthesized delivery jobs", () => {
  it("look like real Liveboard schedule deliveries", async () => {
    const { wh, created, all } = await withHistory({}, { failure_rate: 0.3, retry_rate: 0.3 });
    expect(created).toEqual({ created: [{ channel_id: wh.id, channel_name: "Zapier", jobs: all.length }] });
    const types = new Set<string>();
    for (const j of all) {
      expect(Object.keys(j)).toEqual(JOB_KEYS);
      expect(j.id).toMatch(/^n\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(["PENDING", "RETRY", "SUCCESS", "FAILED"]).toContain(j.status);
      expect(j.creation_time_in_millis).toBeGreaterThan(START - 3 * DAY);
      expect(j.creation_time_in_millis).toBeLessThanOrEqual(START);
      expect(j.event.type).toBe("LIVEBOARD_SCHEDULE");
      expect(j.event.id).toMatch(UUID_V4);
      expect(typeof j.event.name).toBe("string");
      expect(j.event.name!.length).toBeGreaterThan(0);
      expect(j.event.run_id).toMatch(UUID_V4);
      expect(Array.isArray(j.recipients)).toBe(true);
      expect(j.recipients!.length).toBeGreaterThan(0);
      for (const r of j.recipients!) {
        expect(Object.keys(r)).toEqual(["type", "id", "name", "email"]);
        expect(["USER", "EXTERNAL"]).toContain(r.type);
        types.add(r.type);
        expect(r.email).toMatch(/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i);
        if (r.type === "USER") expect(r.id).toMatch(UUID_V4);
        else expect(r.id).toBeNull();
      }
      expect(Number.isInteger(j.try_count)).toBe(true);
      expect(j.try_count).toBeGreaterThanOrEqual(0);
      expect(j.try_count).toBeLessThanOrEqual(3);
      if (j.status === "SUCCESS") expect(j.try_count).toBeGreaterThanOrEqual(1);
      if (j.status === "FAILED") {
        expect(j.try_count).toBe(3);
        expect(j.detail).toMatch(/\S/);
      }
    }
    expect(types.has("USER")).toBe(true);
    // run ids differ per run; several runs share a schedule
    expect(new Set(all.map((j) => j.event.run_id)).size).toBe(all.length);
    expect(new Set(all.map((j) => j.event.id)).size).toBeLessThan(all.length);
  });

  it("puts USER recipients from the org's users", async () => {
    const { all } = await withHistory();
    const users = all.flatMap((j) => j.recipients!).filter((r) => r.type === "USER");
    expect(users.length).toBeGreaterThan(0);
    const known = new Set(["tsadmin", "developer", "webhook-manager", "app-admin", "analyst"]);
    for (const u of users) expect(known.has(u.name!)).toBe(true);
  });
});

describe("history retention", () => {
  it("drops jobs older than 3 days by default", async () => {
    const clock = frozenClock(START);
    const emu = await emulator({ clock });
    let token = await login(emu, "admin", ORG1);
    const wh = await createWebhook(emu, token, HOOK);
    const jobId = await validationJob(emu, token, wh.id);
    clock.advance(3 * DAY - 1);
    token = await login(emu, "admin", ORG1);
    expect((await history(emu, token, { job_ids: [jobId] })).map((j) => j.id)).toEqual([jobId]);
    expect((await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS })).map((j) => j.id)).toEqual([jobId]);
    clock.advance(2);
    expect(await history(emu, token, { job_ids: [jobId] })).toEqual([]);
    expect(await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS })).toEqual([]);
  });

  it("drops old synthesized jobs as the clock moves via POST /_emulator/clock", async () => {
    const { emu, wh, all } = await withHistory();
    const moved = await call(emu, "POST", "/_emulator/clock", { advance_ms: DAY });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.now).toBe(START + DAY);
    const token = await login(emu, "admin", ORG1);
    const cutoff = START + DAY - 3 * DAY;
    const left = await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS });
    expect(left).toEqual(all.filter((j) => j.creation_time_in_millis >= cutoff));
    expect(left.length).toBeLessThan(all.length);
    expect(left.length).toBeGreaterThan(0);
    const oldest = all.at(-1)!;
    expect(await history(emu, token, { job_ids: [oldest.id] })).toEqual([]);

    await call(emu, "POST", "/_emulator/clock", { advance_ms: 3 * DAY });
    const later = await login(emu, "admin", ORG1);
    expect(await history(emu, later, { channel_identifiers: [wh.id], events: EVENTS })).toEqual([]);
  });

  it("honours the retentionDays option", async () => {
    const clock = frozenClock(START);
    const { emu, wh, all } = await withHistory({ clock, retentionDays: 1 });
    for (const j of all) expect(j.creation_time_in_millis).toBeGreaterThanOrEqual(START - DAY);
    let token = await login(emu, "admin", ORG1);
    const jobId = await validationJob(emu, token, wh.id);
    clock.advance(DAY - 1);
    token = await login(emu, "admin", ORG1);
    expect((await history(emu, token, { job_ids: [jobId] })).map((j) => j.id)).toEqual([jobId]);
    clock.advance(2);
    expect(await history(emu, token, { job_ids: [jobId] })).toEqual([]);
    expect(await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS })).toEqual([]);
  });
});

describe("history visibility", () => {
  it("keeps a deleted webhook's history searchable by its id", async () => {
    const { emu, token, wh, all } = await withHistory();
    const jobId = await validationJob(emu, token, wh.id);
    const del = await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: [wh.id] }, { token });
    expect(del.status, del.text).toBe(200);
    expect(del.body.deleted_count).toBe(1);
    const after = await history(emu, token, { channel_identifiers: [wh.id], events: EVENTS });
    expect(after[0].id).toBe(jobId);
    expect(after.slice(1)).toEqual(all);
    expect((await history(emu, token, { job_ids: [jobId] })).map((j) => j.id)).toEqual([jobId]);
  });

  it("hides jobs of another org", async () => {
    const { emu, token, wh, all } = await withHistory();
    const jobId = await validationJob(emu, token, wh.id);
    const other = await login(emu, "admin", 1532970882);
    expect(await history(emu, other, { job_ids: [jobId] })).toEqual([]);
    expect(await history(emu, other, { job_ids: [all[0].id] })).toEqual([]);
    expect(await history(emu, other, { channel_identifiers: [wh.id], events: EVENTS })).toEqual([]);
    // still visible in its own org
    expect((await history(emu, token, { job_ids: [jobId] })).map((j) => j.id)).toEqual([jobId]);
  });

  it("keeps history in one namespace out of another", async () => {
    const emu = await emulator();
    const a = await login(emu, "admin", ORG1, "a");
    const res = await call(
      emu,
      "POST",
      "/webhooks/create",
      { name: "Zapier", url: "https://hooks.example.com/x", events: ["LIVEBOARD_SCHEDULE"] },
      { token: a, namespace: "a" },
    );
    expect(res.status).toBe(200);
    const val = await call(
      emu,
      "POST",
      VALIDATE,
      { channel_type: "WEBHOOK", channel_identifier: res.body.id, event_type: "LIVEBOARD_SCHEDULE" },
      { token: a, namespace: "a" },
    );
    expect(val.status).toBe(200);
    const b = await login(emu, "admin", ORG1, "b");
    const inB = await call(emu, "POST", HISTORY, { channel_type: "WEBHOOK", job_ids: [val.body.job_id] }, { token: b, namespace: "b" });
    expect(inB.body).toEqual({ jobs: [] });
    const inA = await call(emu, "POST", HISTORY, { channel_type: "WEBHOOK", job_ids: [val.body.job_id] }, { token: a, namespace: "a" });
    expect(inA.body.jobs.map((j: Job) => j.id)).toEqual([val.body.job_id]);
  });
});
