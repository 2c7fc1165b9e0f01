import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { planHistory, type SynthesizeOptions, synthesizeHistory } from "../src/jobs/synthesize.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 1, 26, 9, 25, 32, 123);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JOB_ID = /^n\.[0-9a-f-]{36}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;

const USERS = [
  { id: "59481331-ee53-42be-a548-bd87be6ddd4a", name: "tsadmin", email: "tsadmin@example.com" },
  { id: "0b6a3b5e-3c1f-4a8e-9f7c-1d2e3f4a5b6c", name: "alice", email: "alice@example.com" },
  { id: "1c7b4c6f-4d2a-4b9f-8a8d-2e3f4a5b6c7d", name: "bob", email: "bob@example.com" },
];

function options(over: Partial<SynthesizeOptions> = {}): SynthesizeOptions {
  return {
    channelId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
    orgId: "0",
    now: NOW,
    retentionMs: 90 * DAY,
    days: 60,
    runsPerDay: 40,
    failureRate: 0.1,
    retryRate: 0.15,
    seed: 42,
    users: USERS,
    ...over,
  };
}

describe("synthesizeHistory", () => {
  it("produces identical output for the same options and different output for another seed", () => {
    const a = synthesizeHistory(options());
    const b = synthesizeHistory(options());
    const c = synthesizeHistory(options({ seed: 43 }));
    expect(a.length).toBeGreaterThan(0);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it("is deterministic with invented users too", () => {
    const a = synthesizeHistory(options({ users: [], seed: 7 }));
    const b = synthesizeHistory(options({ users: [], seed: 7 }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.some((r) => r.job.recipients!.some((x) => x.type === "USER"))).toBe(true);
  });

  it("generates roughly days times runsPerDay jobs, clipped to retention", () => {
    expect(synthesizeHistory(options({ days: 10, runsPerDay: 50 })).length).toBeGreaterThan(480);
    expect(synthesizeHistory(options({ days: 10, runsPerDay: 50 })).length).toBeLessThan(520);
    const clipped = synthesizeHistory(options({ days: 30, retentionMs: 3 * DAY, runsPerDay: 100 }));
    expect(clipped.length).toBeGreaterThan(280);
    expect(clipped.length).toBeLessThan(320);
    expect(synthesizeHistory(options({ days: 0 }))).toEqual([]);
    expect(synthesizeHistory(options({ runsPerDay: 0 }))).toEqual([]);
  });

  it("rejects negative or non-finite counts and clamps rates", () => {
    expect(() => synthesizeHistory(options({ days: -1 }))).toThrow(RangeError);
    expect(() => synthesizeHistory(options({ runsPerDay: Number.NaN }))).toThrow(RangeError);
    const allFailed = synthesizeHistory(options({ days: 5, failureRate: 7, retryRate: -3 }));
    expect(allFailed.filter((r) => r.job.status === "SUCCESS")).toEqual([]);
    const none = synthesizeHistory(options({ days: 5, failureRate: -1, retryRate: -1 }));
    expect(none.filter((r) => r.job.status === "FAILED")).toEqual([]);
  });

  it("formats job ids, schedule ids and run ids as the contract says", () => {
    for (const { ch, org, job } of synthesizeHistory(options())) {
      expect(ch).toBe("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
      expect(org).toBe("0");
      expect(job.id).toMatch(JOB_ID);
      expect(job.event.type).toBe("LIVEBOARD_SCHEDULE");
      expect(job.event.id).toMatch(UUID_V4);
      expect(job.event.run_id).toMatch(UUID_V4);
      expect(Object.keys(job)).toEqual(["id", "status", "creation_time_in_millis", "event", "recipients", "detail", "try_count"]);
    }
  });

  it("keeps one schedule id and one recipient list per schedule name and a fresh run id per run", () => {
    const jobs = synthesizeHistory(options()).map((r) => r.job);
    const byName = new Map<string, { id: string; recipients: string }>();
    for (const job of jobs) {
      const seen = byName.get(job.event.name!);
      const recipients = JSON.stringify(job.recipients);
      if (seen) {
        expect(job.event.id).toBe(seen.id);
        expect(recipients).toBe(seen.recipients);
      } else byName.set(job.event.name!, { id: job.event.id, recipients });
    }
    expect(byName.size).toBeGreaterThanOrEqual(2);
    expect(byName.size).toBeLessThanOrEqual(5);
    expect(new Set([...byName.values()].map((v) => v.id)).size).toBe(byName.size);
    expect(new Set(jobs.map((j) => j.event.run_id)).size).toBe(jobs.length);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length);
  });

  it("places every job inside the retention window, never in the future, sorted ascending", () => {
    const retentionMs = 3 * DAY;
    const records = synthesizeHistory(options({ days: 30, retentionMs, runsPerDay: 500 }));
    let previous = -Infinity;
    for (const { job } of records) {
      expect(job.creation_time_in_millis).toBeGreaterThan(NOW - retentionMs);
      expect(job.creation_time_in_millis).toBeLessThanOrEqual(NOW);
      expect(job.creation_time_in_millis).toBeGreaterThanOrEqual(previous);
      previous = job.creation_time_in_millis;
    }
  });

  it("shows PENDING and RETRY only for a couple of runs in the last 30 minutes", () => {
    let inFlightSeen = 0;
    for (let seed = 0; seed < 40; seed++) {
      const records = synthesizeHistory(options({ seed, days: 1, runsPerDay: 400, failureRate: 0.3, retryRate: 0.3 }));
      const inFlight = records.filter((r) => r.job.status === "PENDING" || r.job.status === "RETRY");
      expect(inFlight.length).toBeLessThanOrEqual(2);
      inFlightSeen += inFlight.length;
      for (const { job } of inFlight) {
        expect(job.creation_time_in_millis).toBeGreaterThan(NOW - 30 * 60_000);
        if (job.status === "PENDING") {
          expect(job.try_count).toBe(0);
          expect(job.detail).toBeNull();
        } else {
          expect([1, 2]).toContain(job.try_count);
          expect(job.detail).toMatch(/\S/);
        }
      }
    }
    expect(inFlightSeen).toBeGreaterThan(0);
  });

  it("roughly respects the failure rate over 2000 runs", () => {
    for (const failureRate of [0.05, 0.2, 0.5]) {
      const records = synthesizeHistory(options({ days: 20, runsPerDay: 100, failureRate, seed: 9 }));
      expect(records.length).toBeGreaterThan(1900);
      const failed = records.filter((r) => r.job.status === "FAILED").length / records.length;
      expect(Math.abs(failed - failureRate)).toBeLessThanOrEqual(0.05);
    }
  });

  it("gives failed jobs a realistic detail and three tries, successes an empty detail", () => {
    const records = synthesizeHistory(options({ days: 20, runsPerDay: 100, failureRate: 0.2, retryRate: 0.2 }));
    const known =
      /^(HTTP (50[023]|404|401) |Request timed out after 5000 ms$|connect ECONNREFUSED \d+\.\d+\.\d+\.\d+:443$|TLS handshake failed|getaddrinfo ENOTFOUND \S+$)/;
    let retriedSuccess = 0;
    for (const { job } of records) {
      if (job.status === "FAILED") {
        expect(job.try_count).toBe(3);
        expect(job.detail).toMatch(known);
      } else if (job.status === "SUCCESS") {
        expect(job.detail).toBe("");
        expect([1, 2, 3]).toContain(job.try_count);
        if (job.try_count > 1) retriedSuccess++;
      }
    }
    expect(retriedSuccess).toBeGreaterThan(records.length * 0.1);
  });

  it("types recipients as USER or EXTERNAL with emails", () => {
    for (const users of [USERS, []]) {
      const records = synthesizeHistory(options({ users, days: 5 }));
      for (const { job } of records) {
        expect(job.recipients!.length).toBeGreaterThanOrEqual(1);
        expect(job.recipients!.length).toBeLessThanOrEqual(4);
        for (const r of job.recipients!) {
          expect(r.email).toMatch(EMAIL);
          expect(r.name).toMatch(/\S/);
          if (r.type === "EXTERNAL") expect(r.id).toBeNull();
          else {
            expect(r.type).toBe("USER");
            expect(r.id).toMatch(UUID_V4);
            if (users.length) expect(users.map((u) => u.id)).toContain(r.id);
          }
        }
      }
    }
  });

  // Its speed is measured by npm run bench, not here.
  it("generates more than 100k jobs for 34,000 runs a day over three days", () => {
    const records = synthesizeHistory(options({ days: 3, retentionMs: 3 * DAY, runsPerDay: 34_000 }));
    expect(records.length).toBeGreaterThan(100_000);
    expect(new Set(records.map((r) => r.job.id)).size).toBe(records.length);
  });

  it("makes the very jobs it made before it was chunked (digests recorded from the one-piece version)", () => {
    const digest = (o: Partial<SynthesizeOptions>) =>
      createHash("sha256")
        .update(JSON.stringify(synthesizeHistory(options(o))))
        .digest("hex");
    expect(digest({})).toBe("b629e67c1c1fb0733f385453ca6c36459417c6fd41821c744e6ac2bca127d97b");
    expect(digest({ users: [], seed: 7 })).toBe("b2d6eb98a7974c233bbe6452cca9cfd05133b4d0ae3438062c7a43324ab0ffb2");
    expect(digest({ days: 1, runsPerDay: 400, failureRate: 0.3, retryRate: 0.3 })).toBe(
      "3c44e4434cf49a3a0c776472f5047cbdddc6a3be7f7be8d6137cd2655b56979c",
    );
  });

  it("plans in slices: yields while making run times, then counts and makes the jobs one at a time", () => {
    const o = options({ days: 3, retentionMs: 3 * DAY, runsPerDay: 40_000 });
    const steps = planHistory(o);
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    expect(yields).toBeGreaterThanOrEqual(11); // a yield every 10,000 runs
    const plan = step.value;
    const whole = synthesizeHistory(o);
    expect(plan.count).toBe(whole.length);
    const jobs = plan.jobs();
    const first = [jobs.next().value, jobs.next().value];
    expect(first).toEqual(whole.slice(0, 2));
    expect([...first, ...jobs]).toEqual(whole);
  });
});
