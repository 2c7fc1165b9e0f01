/**
 * The admin history routes the dashboard's history page reads: GET /_emulator/history (every job
 * of the namespace, filtered and paged on the server) and GET /_emulator/history/histogram (jobs
 * per day and status over the retention period).
 */
import { describe, expect, it } from "vitest";
import { call, debugText, emulator, frozenClock, login, ORGS, T0 } from "../support/index.js";

const DEMO = new URL("../../fixtures/demo.json", import.meta.url).pathname;
const ZAPIER = "9185f9be-f237-42bf-b452-c2dc897e1673";
const NEBULA = "52314c1c-8d1d-40d1-8dba-3f77d219b41a";
const DAY = 86_400_000;

/** The demo fixtures (two webhooks in two orgs) with `days` of history, a frozen clock and retention `retentionDays`. */
async function withHistory(days = 5, retentionDays = 7) {
  const clock = frozenClock();
  const emu = await emulator({ fixturesFile: DEMO, clock, retentionDays });
  const made = await call(emu, "POST", "/_emulator/jobs/synthesize", { days, runs_per_day: 30, failure_rate: 0.2 });
  expect(made.status, made.text).toBe(200);
  return { emu, clock, created: made.body.created as { channel_id: string; jobs: number }[] };
}

const get = async (emu: Awaited<ReturnType<typeof emulator>>, path: string) => {
  const res = await call(emu, "GET", path);
  expect(res.status, res.text).toBe(200);
  return res.body;
};

/** Every job a query matches, page after page. */
async function allPages(emu: Awaited<ReturnType<typeof emulator>>, query: string, limit = 97) {
  const jobs: any[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = await get(emu, `/_emulator/history?${query}&offset=${offset}&limit=${limit}`);
    jobs.push(...page.jobs);
    if (page.jobs.length < limit) return { jobs, total: page.total };
  }
}

describe("GET /_emulator/history", () => {
  it("pages through every job of every webhook newest first, each with its webhook's id, name and org, pages never overlapping", async () => {
    const { emu, created } = await withHistory();
    const { jobs, total } = await allPages(emu, "");
    expect(total).toBe(created[0].jobs + created[1].jobs);
    expect(jobs).toHaveLength(total);
    expect(new Set(jobs.map((j) => j.job.id)).size).toBe(total);
    const times = jobs.map((j) => j.job.creation_time_in_millis);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(jobs.map((j) => `${j.channel_id} ${j.channel_name} ${j.org_id}`))).toEqual(
      new Set([`${ZAPIER} Zapier ${ORGS.testOrg1}`, `${NEBULA} nebula-webhooks-gcp-05012026-webhook1 ${ORGS.testOrg}`]),
    );
    const first = await get(emu, "/_emulator/history?limit=3");
    expect(first).toMatchObject({ namespace: "default", retention_days: 7, offset: 0, limit: 3, total, to: null });
    expect(first.from).toBe(T0 - 7 * DAY);
    expect(first.jobs.map((j: any) => j.job.id)).toEqual(jobs.slice(0, 3).map((j) => j.job.id));
  });

  it("filters by webhook (id or name), org, status, schedule name and time window, with the total of what matches", async () => {
    const { emu, created } = await withHistory();
    const byName = await allPages(emu, "channel=Zapier");
    expect(byName.total).toBe(created.find((c) => c.channel_id === ZAPIER)!.jobs);
    expect(new Set(byName.jobs.map((j) => j.channel_id))).toEqual(new Set([ZAPIER]));
    expect((await get(emu, `/_emulator/history?channel=${ZAPIER}&limit=1`)).total).toBe(byName.total);
    expect((await get(emu, "/_emulator/history?org=testOrg&limit=1")).total).toBe(created.find((c) => c.channel_id === NEBULA)!.jobs);

    const failed = await allPages(emu, "status=FAILED");
    expect(failed.total).toBeGreaterThan(0);
    expect(new Set(failed.jobs.map((j) => j.job.status))).toEqual(new Set(["FAILED"]));

    const page = await get(emu, "/_emulator/history?channel=Zapier&limit=1");
    const schedule = page.schedules[0];
    expect(page.schedules.length).toBeGreaterThanOrEqual(2);
    const bySchedule = await allPages(emu, `event=${encodeURIComponent(schedule)}`);
    expect(bySchedule.total).toBeGreaterThan(0);
    expect(new Set(bySchedule.jobs.map((j) => j.job.event.name))).toEqual(new Set([schedule]));

    const from = T0 - 3 * DAY;
    const to = T0 - 2 * DAY;
    const window = await allPages(emu, `from=${from}&to=${new Date(to).toISOString()}`);
    expect(window.total).toBeGreaterThan(0);
    expect(window.jobs.every((j) => j.job.creation_time_in_millis >= from && j.job.creation_time_in_millis < to)).toBe(true);
    const everything = await allPages(emu, "");
    expect(window.total).toBe(
      everything.jobs.filter((j) => j.job.creation_time_in_millis >= from && j.job.creation_time_in_millis < to).length,
    );
  });

  it("leaves out what retention expires as the clock moves, like the API's history search", async () => {
    const { emu, clock } = await withHistory(5, 3);
    const before = (await get(emu, "/_emulator/history?limit=1")).total;
    clock.set(T0 + DAY);
    const after = await allPages(emu, "");
    expect(after.total).toBeLessThan(before);
    expect(after.jobs.every((j) => j.job.creation_time_in_millis >= T0 + DAY - 3 * DAY)).toBe(true);
    clock.set(T0 + 4 * DAY);
    expect((await get(emu, "/_emulator/history?limit=1")).total).toBe(0);
  });

  it("still finds a deleted webhook's jobs by its id, with no name", async () => {
    const { emu } = await withHistory(1);
    const token = await login(emu, "admin", ORGS.testOrg1);
    expect((await call(emu, "POST", "/webhooks/delete", { webhook_identifiers: [ZAPIER] }, { token })).status).toBe(200);
    const page = await get(emu, `/_emulator/history?channel=${ZAPIER}&limit=2`);
    expect(page.total).toBeGreaterThan(0);
    expect(page.jobs[0]).toMatchObject({ channel_id: ZAPIER, channel_name: null, org_id: String(ORGS.testOrg1) });
  });

  it("answers a 400 naming the parameter for a wrong filter, and the parameters it knows for an unknown one", async () => {
    const { emu } = await withHistory(1);
    const bad = await call(emu, "GET", "/_emulator/history?status=DONE");
    expect(bad.status).toBe(400);
    expect(debugText(bad.body)).toMatch(/^Invalid query at status: /);
    const unknown = await call(emu, "GET", "/_emulator/history?channel_identifier=x");
    expect(unknown.status).toBe(400);
    expect(debugText(unknown.body)).toContain("(the parameters are: channel, org, status, event, from, to, offset, limit)");
    const org = await call(emu, "GET", "/_emulator/history?org=nowhere");
    expect(org.status).toBe(400);
    expect(debugText(org.body)).toBe("org does not match a known org.");
    const limit = await call(emu, "GET", "/_emulator/history?limit=501");
    expect(limit.status).toBe(400);
  });
});

describe("GET /_emulator/history/histogram", () => {
  it("counts every job within retention per day and status, the days covering the whole retention period", async () => {
    const { emu } = await withHistory(5, 7);
    const h = await get(emu, "/_emulator/history/histogram");
    expect(h).toMatchObject({ namespace: "default", retention_days: 7, from: T0 - 7 * DAY, tz_offset_minutes: 0 });
    expect(h.statuses).toEqual(["PENDING", "RETRY", "SUCCESS", "FAILED"]);
    expect(h.days).toHaveLength(8); // 7 days back from 09:00 UTC: a partial first day, 6 whole ones, today so far
    expect(h.days[0]).toMatchObject({ date: "2026-02-19", start: Date.UTC(2026, 1, 19) });
    expect(h.days.at(-1).date).toBe("2026-02-26");
    const { jobs } = await allPages(emu, "", 500);
    const want = new Map<string, Record<string, number>>();
    for (const j of jobs) {
      const date = new Date(j.job.creation_time_in_millis).toISOString().slice(0, 10);
      const day = want.get(date) ?? { PENDING: 0, RETRY: 0, SUCCESS: 0, FAILED: 0 };
      day[j.job.status]++;
      want.set(date, day);
    }
    for (const d of h.days) {
      const w = want.get(d.date) ?? { PENDING: 0, RETRY: 0, SUCCESS: 0, FAILED: 0 };
      expect({ PENDING: d.PENDING, RETRY: d.RETRY, SUCCESS: d.SUCCESS, FAILED: d.FAILED }, d.date).toEqual(w);
      expect(d.total).toBe(w.PENDING + w.RETRY + w.SUCCESS + w.FAILED);
    }
    expect(h.days.reduce((n: number, d: any) => n + d.total, 0)).toBe(jobs.length);
  });

  it("narrows to one webhook or org, and starts days at the browser's midnight when given its UTC offset", async () => {
    const { emu } = await withHistory(5, 7);
    const zapier = await get(emu, "/_emulator/history/histogram?channel=Zapier");
    const total = (q: any) => q.days.reduce((n: number, d: any) => n + d.total, 0);
    expect(total(zapier)).toBe((await get(emu, "/_emulator/history?channel=Zapier&limit=1")).total);
    expect(total(await get(emu, "/_emulator/history/histogram?org=testOrg"))).toBe(
      (await get(emu, "/_emulator/history?org=testOrg&limit=1")).total,
    );
    const india = await get(emu, "/_emulator/history/histogram?tz_offset_minutes=330");
    expect(india.days[0].start).toBe(Date.UTC(2026, 1, 19) - 330 * 60_000);
    expect(india.days[0].date).toBe("2026-02-19");
    expect(total(india)).toBe(total(await get(emu, "/_emulator/history/histogram")));
  });
});

describe("what else the dashboard reads", () => {
  it("lists the namespaces that hold anything, default always", async () => {
    const emu = await emulator();
    await login(emu, "admin", undefined, "team-a");
    expect((await get(emu, "/_emulator/namespaces")).namespaces).toEqual(["default", "team-a"]);
  });

  it("shows the options a dashboard needs in GET /_emulator/state", async () => {
    const emu = await emulator({ retentionDays: 9, release: "26.4", webhooksPerOrg: "many" });
    expect((await get(emu, "/_emulator/state")).settings).toEqual({
      release: "26.4.0.cl",
      cloud: "aws",
      retention_days: 9,
      webhooks_per_org: "many",
      delivery_attempts: 3,
      journal_size: 1000,
    });
  });

  it("reports a large synthesis's progress on the event stream, slice by slice, ending with the total", async () => {
    const emu = await emulator({ fixturesFile: DEMO, clock: frozenClock() });
    const seen: any[] = [];
    emu.events.subscribe((e) => e.type === "synthesis" && seen.push(e.data));
    const made = await call(emu, "POST", "/_emulator/jobs/synthesize", { days: 3, runs_per_day: 10_000 });
    expect(made.status, made.text).toBe(200);
    const total = made.body.created.reduce((n: number, c: any) => n + c.jobs, 0);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ done: total, finished: true });
    expect(seen.slice(0, -1).every((p) => !p.finished && p.expected === 60_000)).toBe(true);
  });
});
