/**
 * The dashboard's reads of the history index (browse: any channel, paged; histogram: per day and
 * status) against a brute-force answer computed from the same jobs.
 */
import { describe, expect, it } from "vitest";
import type { JobStatus } from "../../src/schemas/common.js";
import { type BrowseQuery, HistoryIndex } from "../../src/store/history-index.js";
import type { JobEntry } from "../../src/store/history-lines.js";
import { prng } from "../support/index.js";

const STATUSES: JobStatus[] = ["PENDING", "RETRY", "SUCCESS", "FAILED"];
const DAY = 86_400_000;

/** `n` jobs over 10 days, 6 channels, 2 orgs, 3 schedules a channel, arriving in a shuffled order. */
function randomJobs(seed: number, n: number): JobEntry[] {
  const r = prng(seed);
  const jobs: JobEntry[] = [];
  for (let k = 0; k < n; k++) {
    const ch = `hook-${r.int(0, 5)}`;
    const schedule = r.int(0, 2);
    const t = Math.floor(r.int(0, 10 * DAY - 1) / 600_000) * 600_000; // 10-minute slots: many equal times
    const status = r.pick(STATUSES);
    jobs.push({
      id: `n.${k}`,
      ch,
      org: ch < "hook-3" ? "0" : "1532970882",
      t,
      ev: `${ch}-sched-${schedule}`,
      evName: schedule === 2 ? null : `Schedule ${schedule}`,
      status,
      json: JSON.stringify({ id: `n.${k}`, status }),
      off: -1,
      len: 0,
    });
  }
  return jobs;
}

/** What browse must answer, from a plain sort: newest first, equal times by arrival (later first). */
function expected(jobs: JobEntry[], q: BrowseQuery): string[] {
  return jobs
    .map((j, order) => ({ j, order }))
    .filter(
      ({ j }) =>
        (q.channel === undefined || j.ch === q.channel) &&
        (q.org === undefined || j.org === q.org) &&
        (q.status === undefined || j.status === q.status) &&
        (q.event === undefined || j.ev === q.event || j.evName === q.event) &&
        j.t >= q.from &&
        j.t < q.to,
    )
    .sort((a, b) => b.j.t - a.j.t || b.order - a.order)
    .map(({ j }) => j.id);
}

const idsOf = (page: { jobs: { json: string }[] }) => page.jobs.map((j) => JSON.parse(j.json).id);

describe("HistoryIndex.browse", () => {
  const jobs = randomJobs(7, 3000);
  const h = new HistoryIndex();
  // Half in one bulk load (as at start-up), half one by one (as they arrive at run time).
  h.putMany(jobs.slice(0, 1500));
  for (const j of jobs.slice(1500)) h.put(j);

  const queries: BrowseQuery[] = [
    { from: -Infinity, to: Infinity },
    { from: 2 * DAY, to: 7 * DAY },
    { channel: "hook-4", from: -Infinity, to: Infinity },
    { org: "1532970882", status: "FAILED", from: DAY, to: Infinity },
    { event: "Schedule 1", from: -Infinity, to: 9 * DAY },
    { channel: "hook-2", event: "hook-2-sched-2", status: "SUCCESS", from: -Infinity, to: Infinity },
    { status: "RETRY", from: -Infinity, to: Infinity },
  ];

  it.each(queries.map((q) => [JSON.stringify(q), q] as const))("pages through %s exactly like a full sort, from either end", (_, q) => {
    const all = expected(jobs, q);
    expect(all.length).toBeGreaterThan(0);
    for (const [offset, limit] of [
      [0, 50],
      [37, 100],
      [Math.floor(all.length / 2) - 10, 20],
      [all.length - 30, 50],
      [all.length + 5, 10],
    ]) {
      const page = h.browse(q, offset, limit);
      expect(page.total).toBe(all.length);
      expect(idsOf(page)).toEqual(all.slice(offset, offset + limit));
    }
  });

  it("pages through jobs that share one instant (a frozen clock) or have fractional times, in arrival order", () => {
    for (const time of [() => 5_000, (k: number) => 1000 + (k % 7) / 3]) {
      const same = randomJobs(5, 400).map((j, k) => ({ ...j, t: time(k) }));
      const one = new HistoryIndex();
      one.putMany(same.slice(0, 200));
      for (const j of same.slice(200)) one.put(j);
      const q = { from: -Infinity, to: Infinity };
      const want = expected(same, q);
      for (const offset of [0, 1, 133, 399, 400]) expect(idsOf(one.browse(q, offset, 17))).toEqual(want.slice(offset, offset + 17));
    }
  });

  it("answers each job with its channel and org", () => {
    const page = h.browse({ channel: "hook-5", from: -Infinity, to: Infinity }, 0, 5);
    expect(page.jobs.every((j) => j.ch === "hook-5" && j.org === "1532970882")).toBe(true);
  });

  it("finds nothing for an unknown channel, org or event, and says so with a total of 0", () => {
    for (const q of [{ channel: "nope" }, { org: "nope" }, { event: "nope" }]) {
      expect(h.browse({ ...q, from: -Infinity, to: Infinity }, 0, 10)).toEqual({ total: 0, jobs: [] });
    }
  });

  it("sees a job's new status once it is updated in place", () => {
    const one = new HistoryIndex();
    one.put({ ...jobs[0], status: "PENDING" });
    one.put({ ...jobs[0], status: "SUCCESS", json: '{"id":"n.0","status":"SUCCESS"}' });
    expect(one.browse({ status: "PENDING", from: -Infinity, to: Infinity }, 0, 10).total).toBe(0);
    expect(idsOf(one.browse({ status: "SUCCESS", from: -Infinity, to: Infinity }, 0, 10))).toEqual(["n.0"]);
  });
});

describe("HistoryIndex.histogram", () => {
  it("counts every job of the window by day and status, as a plain count does", () => {
    const jobs = randomJobs(11, 2000);
    const h = new HistoryIndex();
    h.putMany(jobs);
    const start = DAY / 2; // days from noon to noon: a job just before a boundary lands in the day before
    const got = h.histogram({ org: "0", from: DAY, to: Infinity }, start, 10);
    const want = Array.from({ length: 10 }, () => [0, 0, 0, 0]);
    for (const j of jobs) {
      if (j.org !== "0" || j.t < DAY) continue;
      const day = Math.floor((j.t - start) / DAY);
      if (day < 10) want[day][STATUSES.indexOf(j.status)]++;
    }
    expect(got).toEqual(want);
    expect(got.flat().reduce((a, b) => a + b, 0)).toBe(jobs.filter((j) => j.org === "0" && j.t >= DAY && j.t < start + 10 * DAY).length);
  });
});

describe("HistoryIndex.eventNames", () => {
  it("lists the schedule names of one channel, or of every channel, once each", () => {
    const h = new HistoryIndex();
    h.putMany(randomJobs(3, 500));
    expect(h.eventNames("hook-1").sort()).toEqual(["Schedule 0", "Schedule 1"]);
    expect(h.eventNames().sort()).toEqual(["Schedule 0", "Schedule 1"]);
    expect(h.eventNames("nope")).toEqual([]);
  });
});
