/**
 * Synthesizes months of plausible webhook delivery history for one channel (a pure function of
 * its options): a handful of named Liveboard schedules, each with stable id, recipients and time
 * of day, firing across the window with small scheduler jitter; mostly SUCCESS, some retried,
 * some FAILED with realistic errors; PENDING/RETRY only for the most recent couple of runs.
 */
// The English locale alone: the package root loads every locale (~350 ms, the event loop held).
import { faker } from "@faker-js/faker/locale/en";
import { createIds, type Random, seededRandom } from "../random.js";
import type { ChannelHistoryJob, JobRecipient, JobRecord } from "../schemas/history.js";

export interface SynthesizeOptions {
  channelId: string; // webhook id the jobs belong to (JobRecord.ch)
  orgId: string; // JobRecord.org
  now: number; // emulator clock, epoch ms
  retentionMs: number; // jobs must all have creation_time_in_millis > now - retentionMs
  days: number; // how many days back to generate (clipped to retention)
  runsPerDay: number; // schedule runs per day, across all schedules
  failureRate: number; // 0..1 share of runs that end FAILED
  retryRate: number; // 0..1 share of runs needing >1 try (try_count 2 or 3), which may still succeed
  seed: number; // every output byte depends only on the options (incl. seed)
  users: { id: string; name: string; email: string }[]; // USER recipients (may be empty → invented)
  /** The schedules the runs belong to (the org's own); none given → 2–5 invented (HistoryPlan.schedules). */
  schedules?: readonly ScheduleSeed[];
}

/** A schedule the history is made for: who it goes to, and its time of day if it has one. */
export interface ScheduleSeed {
  id: string;
  name: string;
  recipients: JobRecipient[];
  /** Time of day (UTC) of its first run of a day; undefined → a business hour is picked. */
  offsetMs?: number;
}

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Runs younger than this may still be in flight (PENDING / RETRY). */
const IN_FLIGHT_MS = 30 * MINUTE;
/** PENDING (not tried yet) only makes sense for very fresh runs. */
const PENDING_MS = 5 * MINUTE;
const MAX_IN_FLIGHT = 2;
const MAX_JOBS = 5_000_000;
/** Runs generated between two yields of planHistory. */
const SLICE = 10_000;

const SCHEDULE_NAMES = [
  "Weekly Sales Review",
  "Daily Pipeline Snapshot",
  "Monthly Churn Report",
  "Executive KPI Digest",
  "Regional Revenue Breakdown",
  "Quarterly Board Metrics",
  "Daily Support Ticket Summary",
  "Weekly Marketing Funnel",
  "Inventory Levels Morning Brief",
  "Customer Health Scorecard",
  "Finance Close Checklist",
  "Weekly Product Usage Trends",
  "Daily Orders by Channel",
  "Sales Forecast vs Actuals",
  "Partner Performance Overview",
  "Hiring Pipeline Weekly",
];

type Weighted = readonly (readonly [number, string])[];

/** Errors a transient outage produces (a later try may succeed). */
function transientErrors(ip: string): Weighted {
  return [
    [30, "HTTP 503 Service Unavailable"],
    [15, "HTTP 502 Bad Gateway"],
    [12, "HTTP 500 Internal Server Error"],
    [20, "Request timed out after 5000 ms"],
    [8, `connect ECONNREFUSED ${ip}:443`],
  ];
}

/** Everything a run can finally fail with: transient errors plus configuration problems. */
function finalErrors(ip: string, host: string): Weighted {
  return [
    ...transientErrors(ip),
    [5, "HTTP 404 Not Found"],
    [5, "HTTP 401 Unauthorized"],
    [2, "TLS handshake failed: certificate has expired"],
    [3, `getaddrinfo ENOTFOUND ${host}`],
  ];
}

function pickWeighted(rnd: Random, list: Weighted): string {
  let total = 0;
  for (const [w] of list) total += w;
  let x = rnd.next() * total;
  for (const [w, v] of list) {
    x -= w;
    if (x < 0) return v;
  }
  return list[list.length - 1][1];
}

function finiteNonNegative(name: string, v: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`synthesizeHistory: ${name} must be a finite number >= 0 (got ${v})`);
  }
  return v;
}

function clampRate(v: number): number {
  return typeof v === "number" && Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

/** A channel's synthesized history: how many jobs, and the jobs themselves, made as they are taken (once). */
export interface HistoryPlan {
  readonly count: number;
  /** The schedules the jobs belong to: the given ones, or those invented. */
  readonly schedules: readonly Schedule[];
  /** The jobs in time order. */
  jobs(): Generator<JobRecord, void, void>;
}

const EMPTY: HistoryPlan = { count: 0, schedules: [], *jobs() {} };

export interface Schedule {
  id: string;
  name: string;
  recipients: JobRecipient[];
  periodMs: number; // time between two runs
  offsetMs: number; // time of day of the first run of a day (UTC)
}

/**
 * The history of one channel, made in slices. Generating its run times yields (undefined)
 * every SLICE runs so a caller can let the event loop run; the generator returns the plan, whose
 * `jobs()` makes the jobs in time order, one as each is taken. They depend only on the options:
 * taken in chunks or all at once, they are byte for byte those of synthesizeHistory.
 */
export function* planHistory(opts: SynthesizeOptions): Generator<void, HistoryPlan, void> {
  const now = finiteNonNegative("now", opts.now);
  const retentionMs = finiteNonNegative("retentionMs", opts.retentionMs);
  const days = finiteNonNegative("days", opts.days);
  const runsPerDay = finiteNonNegative("runsPerDay", opts.runsPerDay);
  if (!Number.isFinite(opts.seed)) throw new RangeError("synthesizeHistory: seed must be a finite number");
  const failureRate = clampRate(opts.failureRate);
  const retryRate = clampRate(opts.retryRate);
  const windowMs = Math.min(days * DAY, retentionMs);
  const expected = (windowMs / DAY) * runsPerDay;
  if (expected > MAX_JOBS) throw new RangeError(`synthesizeHistory: ${Math.round(expected)} jobs is over ${MAX_JOBS}`);
  if (windowMs <= 0 || runsPerDay <= 0) return EMPTY;
  // Strictly inside the retention window and never in the future.
  const lowerExclusive = now - windowMs;

  // One shared instance, seeded here: it is used only before the first yield, so plans never interleave on it.
  faker.seed(Math.floor(opts.seed) >>> 0);
  const rnd = seededRandom(opts.seed, "synth");
  const ids = createIds(rnd);

  const companyDomain = () => {
    const word = faker.company
      .name()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "");
    return `${word.slice(0, 20) || "example"}.${faker.helpers.arrayElement(["com", "com", "io", "co", "net"])}`;
  };
  // The cluster's own company (ThoughtSpot users, webhook host) and the channel's endpoint.
  const ownDomain = companyDomain();
  const host = `${faker.helpers.arrayElement(["hooks", "webhooks", "integrations", "api"])}.${ownDomain}`;
  const ip = faker.internet.ipv4({ network: "private-a" });
  const transient = transientErrors(ip);
  const final = finalErrors(ip, host);

  // USER pool: the given users, or a few invented ThoughtSpot users.
  const userPool: JobRecipient[] = (
    opts.users.length > 0
      ? opts.users
      : Array.from({ length: faker.number.int({ min: 3, max: 8 }) }, () => {
          const firstName = faker.person.firstName();
          const lastName = faker.person.lastName();
          const name = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z0-9.]+/g, "");
          return { id: ids.uuid(), name, email: `${name}@${ownDomain}` };
        })
  ).map((u) => ({ type: "USER", id: u.id, name: u.name, email: u.email }));
  // External recipients work for one or two partner/customer companies.
  const companyDomains = Array.from({ length: faker.number.int({ min: 1, max: 2 }) }, companyDomain);
  const externalRecipient = (): JobRecipient => {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const provider = faker.helpers.arrayElement(companyDomains);
    const email = faker.internet.email({ firstName, lastName, provider }).toLowerCase();
    return { type: "EXTERNAL", id: null, name: `${firstName} ${lastName}`, email };
  };

  // The given schedules, or 2–5 invented ones, sharing runsPerDay by weight.
  const given = opts.schedules?.length ? opts.schedules : null;
  const names = given ? given.map((g) => g.name) : faker.helpers.arrayElements(SCHEDULE_NAMES, faker.number.int({ min: 2, max: 5 }));
  const weights = names.map(() => 0.5 + rnd.next());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const schedules: Schedule[] = names.map((name, i) => {
    const seed = given?.[i];
    let recipients: JobRecipient[] = [];
    if (seed) recipients = seed.recipients;
    else {
      const count = faker.number.int({ min: 1, max: 4 });
      const usersLeft = faker.helpers.shuffle([...userPool]);
      for (let r = 0; r < count; r++) {
        const external = usersLeft.length === 0 || rnd.next() < 0.2;
        recipients.push(external ? externalRecipient() : usersLeft.pop()!);
      }
    }
    const rate = (runsPerDay * weights[i]) / weightSum;
    const id = seed ? seed.id : ids.uuid();
    if (seed?.offsetMs !== undefined) return { id, name, recipients, periodMs: DAY / rate, offsetMs: seed.offsetMs };
    // Business hours (UTC), on a quarter hour.
    const hour = faker.number.int({ min: 5, max: 17 });
    const minute = faker.helpers.arrayElement([0, 0, 0, 15, 30, 30, 45]);
    return { id, name, recipients, periodMs: DAY / rate, offsetMs: (hour * 60 + minute) * MINUTE };
  });

  // Phase 1: run times (schedule grid + scheduler jitter), per schedule in time order.
  const times: number[][] = schedules.map(() => []);
  let made = 0;
  for (let si = 0; si < schedules.length; si++) {
    const s = schedules[si];
    const own = times[si];
    const jitterMax = Math.min(45_000, s.periodMs / 3);
    const anchor = Math.floor(lowerExclusive / DAY) * DAY + (s.offsetMs % s.periodMs);
    let m = Math.max(0, Math.floor((lowerExclusive - anchor) / s.periodMs));
    for (let t = anchor + m * s.periodMs; t <= now; t = anchor + ++m * s.periodMs) {
      const at = Math.floor(t + 500 + rnd.next() * jitterMax);
      if (at > lowerExclusive && at <= now) own.push(at);
      if (++made % SLICE === 0) yield;
    }
  }
  const count = times.reduce((n, list) => n + list.length, 0);
  const order = timeOrder(times);

  // Phase 2: jobs in time order; failures cluster into outages that reuse the same error.
  let lastFailureAt = -Infinity;
  let lastFailure = "";
  const jobAt = (at: number, s: Schedule): JobRecord => {
    const failed = rnd.next() < failureRate;
    const retried = !failed && rnd.next() < retryRate;
    let detail = "";
    let tryCount = 1;
    let status: ChannelHistoryJob["status"] = "SUCCESS";
    if (failed) {
      status = "FAILED";
      tryCount = 3;
      const sticky = at - lastFailureAt < 2 * 3_600_000 && rnd.next() < 0.7;
      detail = sticky ? lastFailure : pickWeighted(rnd, final);
      lastFailureAt = at;
      lastFailure = detail;
    } else if (retried) {
      tryCount = rnd.next() < 0.75 ? 2 : 3;
    }
    const job: ChannelHistoryJob = {
      id: ids.jobId(),
      status,
      creation_time_in_millis: at,
      event: { type: "LIVEBOARD_SCHEDULE", id: s.id, name: s.name, run_id: ids.uuid() },
      recipients: s.recipients.map((r) => ({ type: r.type, id: r.id, name: r.name, email: r.email })),
      detail,
      try_count: tryCount,
    };
    return { ch: opts.channelId, org: opts.orgId, job };
  };

  // Phase 3: the newest couple of runs may still be in flight.
  const settleNewest = (out: JobRecord[]) => {
    for (let k = out.length - 1, seen = 0; k >= 0 && seen < MAX_IN_FLIGHT; k--, seen++) {
      const job = out[k].job;
      const age = now - job.creation_time_in_millis;
      if (age >= IN_FLIGHT_MS) break;
      if (job.status === "FAILED" || job.try_count > 1) {
        // Still between tries: detail is the last attempt's error.
        job.detail = job.status === "FAILED" && job.detail ? job.detail : pickWeighted(rnd, transient);
        job.status = "RETRY";
        job.try_count = rnd.next() < 0.5 ? 1 : 2;
      } else if (age < PENDING_MS && rnd.next() < 0.5) {
        job.status = "PENDING";
        job.detail = null;
        job.try_count = 0;
      }
    }
  };

  let started = false;
  return {
    count,
    schedules,
    *jobs() {
      if (started) throw new Error("planHistory: jobs() can be taken once");
      started = true;
      // The newest MAX_IN_FLIGHT jobs are held back until phase 3 has settled them.
      const held: JobRecord[] = [];
      for (const [si, at] of order()) {
        held.push(jobAt(at, schedules[si]));
        if (held.length > MAX_IN_FLIGHT) yield held.shift()!;
      }
      settleNewest(held);
      yield* held;
    },
  };
}

/** Every job of the history at once (see planHistory). */
export function synthesizeHistory(opts: SynthesizeOptions): JobRecord[] {
  const steps = planHistory(opts);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return [...step.value.jobs()];
}

/**
 * All runs in time order, as [schedule, time]: equal times in schedule order, a schedule's runs
 * in their own order (what a stable sort of the runs listed schedule by schedule gives). Each
 * schedule's runs are already in time order (runs are a period apart, jitter is under a third of
 * it), so this merges the lists; should one not be (sub-millisecond periods), it sorts.
 */
function timeOrder(times: number[][]): () => Generator<[number, number]> {
  const sorted = times.every((list) => list.every((t, k) => k === 0 || list[k - 1] <= t));
  if (!sorted) {
    const flat: [number, number][] = times.flatMap((list, si) => list.map((t): [number, number] => [si, t]));
    const index = Array.from(flat.keys()).sort((a, b) => flat[a][1] - flat[b][1] || a - b);
    return function* () {
      for (const k of index) yield flat[k];
    };
  }
  return function* () {
    const at = times.map(() => 0);
    for (;;) {
      let best = -1;
      for (let si = 0; si < times.length; si++) {
        if (at[si] < times[si].length && (best === -1 || times[si][at[si]] < times[best][at[best]])) best = si;
      }
      if (best === -1) return;
      yield [best, times[best][at[best]++]];
    }
  };
}
