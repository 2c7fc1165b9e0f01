import { setImmediate as turn } from "node:timers/promises";
import { retentionMs } from "../config.js";
import type { RequestContext } from "../context.js";
import { badRequest } from "../errors.js";
import type { HistoryPlan, Schedule, ScheduleSeed } from "../jobs/synthesize.js";
import { LIMITS } from "../limits.js";
import type { SynthesizeRequest } from "../schemas/admin.js";
import type { JobRecord } from "../schemas/history.js";
import type { ScheduleRecord } from "../schemas/schedules.js";
import { StoreFailure } from "../store/index.js";
import { recordJobs, reserveJobs } from "./history.js";
import { ownerOf } from "./liveboards.js";
import { armSchedules, audienceOf } from "./scheduler.js";
import { webhooksFor } from "./webhooks.js";

/** The event stream hears `synthesis` progress about every this many stored jobs, and at each webhook's end. */
const PROGRESS_EVERY = 20_000;

/**
 * Jobs are made and recorded in chunks of at most CHUNK_JOBS (fewer when making them takes over
 * CHUNK_MS, on a busy machine): each chunk is one write, and the event loop runs between chunks.
 * Recording costs several times what making does (serializing, indexing: ~10 ms a chunk), so a
 * synthesis of millions of jobs never holds other requests up for long, nor its jobs in memory.
 */
const CHUNK_MS = 1;
const CHUNK_JOBS = 500;

/** The next chunk of `jobs`: as many as are made in CHUNK_MS, at most CHUNK_JOBS. */
function nextChunk(jobs: Iterator<JobRecord>): JobRecord[] {
  const chunk: JobRecord[] = [];
  const started = performance.now();
  for (let next = jobs.next(); !next.done; next = jobs.next()) {
    chunk.push(next.value);
    if (chunk.length === CHUNK_JOBS || (chunk.length % 128 === 0 && performance.now() - started > CHUNK_MS)) break;
  }
  return chunk;
}

/**
 * The synthesizer, loaded on first use or once the emulator listens (startEmulator): loading
 * faker holds the event loop for ~50 ms, which start-up and idle time hide better than a request.
 */
export const loadSynthesizer = () => import("../jobs/synthesize.js");

/**
 * POST /_emulator/jobs/synthesize (and --history at start): past delivery jobs for one webhook, or
 * every webhook of an org / the namespace. They are ordinary history records, stored like real
 * ones. 400 when they would take the namespace past --max-jobs (nothing is made then).
 */
export async function synthesize(ctx: RequestContext, input: SynthesizeRequest, onProgress?: (stored: number, total: number) => void) {
  const { ns, deps } = ctx;
  const webhooks = webhooksFor(ns, input.org_identifier, input.channel_identifier);
  if (webhooks.length === 0) throw badRequest("There is no webhook to synthesize history for: create one first.");
  const { planHistory } = await loadSynthesizer();
  const users = ns.state.users.map((u) => ({ id: u.id, name: u.name, email: u.email }));
  const plans: { w: (typeof webhooks)[number]; plan: HistoryPlan }[] = [];
  for (const w of webhooks) {
    const own = ns.state.schedules.filter((s) => s.org.id === w.org.id);
    const steps = planHistory({
      channelId: w.id,
      orgId: w.org.id,
      now: deps.clock.now(),
      retentionMs: retentionMs(deps.config),
      days: input.days,
      runsPerDay: input.runs_per_day,
      failureRate: input.failure_rate,
      retryRate: input.retry_rate,
      seed: ns.random.seed(),
      users,
      schedules: own.map((s) => seedOf(ctx, s)),
    });
    let step = steps.next();
    for (; !step.done; step = steps.next()) await turn();
    plans.push({ w, plan: step.value });
    if (own.length === 0) await adoptSchedules(ctx, w.org, step.value.schedules, input.days);
  }
  const reservation = reserveJobs(
    ctx,
    plans.reduce((n, p) => n + p.plan.count, 0),
  );
  const created: { channel_id: string; channel_name: string; jobs: number }[] = [];
  let stored = 0;
  const total = plans.reduce((n, p) => n + p.plan.count, 0);
  // For the dashboard's progress bar: jobs stored so far, of how many.
  const progress = (w: { id: string; name: string }, finished: boolean) =>
    ns.events.emit("synthesis", { done: stored, expected: total, finished, channel_id: w.id, channel_name: w.name });
  try {
    for (const { w, plan } of plans) {
      const jobs = plan.jobs();
      for (let chunk = nextChunk(jobs); chunk.length; chunk = nextChunk(jobs)) {
        await recordJobs(ctx, chunk, reservation);
        const before = stored;
        stored += chunk.length;
        onProgress?.(stored, total);
        if (Math.floor(before / PROGRESS_EVERY) !== Math.floor(stored / PROGRESS_EVERY)) progress(w, false);
        await turn();
      }
      created.push({ channel_id: w.id, channel_name: w.name, jobs: plan.count });
      progress(w, w === plans.at(-1)!.w);
    }
  } catch (err) {
    // Written in chunks (so it never holds the loop): the chunks on disk before a failure stay, and say so.
    if (err instanceof StoreFailure && stored > 0)
      throw new StoreFailure(`${err.debug} ${stored} of the ${total} synthesized jobs were stored before it, and stay.`);
    throw err;
  } finally {
    reservation.release();
  }
  return { created };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A schedule of the org as the synthesizer takes it: its id, name, recipients and (fixed) time of day. */
function seedOf(ctx: RequestContext, s: ScheduleRecord): ScheduleSeed {
  const recipients = audienceOf(ctx.ns, s).recipients;
  const { hour, minute } = s.frequency.cron_expression;
  const fixed = /^\d{1,2}$/.test(hour) && /^\d{1,2}$/.test(minute);
  return { id: s.id, name: s.name, recipients, offsetMs: fixed ? (Number(hour) * 60 + Number(minute)) * MINUTE : undefined };
}

/** The nearest cron to a synthesized schedule's rate: daily at its time, every n hours, or every n minutes. */
function cronOf(s: Schedule): ScheduleRecord["frequency"] {
  const h = Math.floor(s.offsetMs / HOUR) % 24;
  const m = Math.floor((s.offsetMs % HOUR) / MINUTE);
  const every = (minute: string, hour: string) => ({
    cron_expression: { second: "0", minute, hour, day_of_month: "*", month: "*", day_of_week: "*" },
  });
  if (s.periodMs >= 0.75 * DAY) return every(String(m), String(h));
  if (s.periodMs >= 0.75 * HOUR) return every(String(m), `${h % Math.round(s.periodMs / HOUR)}/${Math.round(s.periodMs / HOUR)}`);
  return every(`*/${Math.min(59, Math.max(1, Math.round(s.periodMs / MINUTE)))}`, "*");
}

/**
 * The schedules an org's synthesized history invented become the org's schedules (README,
 * "Schedules"): on its Liveboards, round robin, PAUSED so a demo's past does not start sending;
 * `schedules/{id}/update` with status ACTIVE resumes one. An org without Liveboards keeps the names
 * in its history only.
 */
async function adoptSchedules(ctx: RequestContext, org: { id: string; name: string }, made: readonly Schedule[], days: number) {
  const { ns, deps } = ctx;
  const boards = ns.state.liveboards.filter((b) => b.org === org.id);
  if (boards.length === 0 || made.length === 0) return;
  const now = deps.clock.now();
  const since = now - Math.min(days * DAY, retentionMs(deps.config));
  await deps.store.mutate(ns, (tx) => {
    made.forEach((s, i) => {
      if (tx.state.schedules.length >= LIMITS.schedules) return;
      if (tx.state.schedules.some((x) => x.id === s.id || (x.org.id === org.id && x.name === s.name))) return;
      const board = boards[i % boards.length]!;
      const author = ownerOf(ns, board);
      tx.putSchedule({
        id: s.id,
        name: s.name,
        description: `${s.name} of ${board.name}`,
        org,
        author: author ? { id: author.id, name: author.name } : { id: board.owner, name: board.owner },
        creation_time_in_millis: since,
        modification_time_in_millis: since,
        metadata: { id: board.id, name: board.name, type: "LIVEBOARD" },
        file_format: "PDF",
        liveboard_options: null,
        pdf_options: null,
        time_zone: "Etc/UTC",
        frequency: cronOf(s),
        recipient_details: {
          emails: s.recipients.filter((r) => r.type === "EXTERNAL" && r.email).map((r) => r.email!),
          principals: s.recipients.filter((r) => r.type === "USER" && r.id).map((r) => ({ identifier: r.id!, type: "USER" as const })),
        },
        status: "PAUSED",
        personalised_view_id: null,
        runs_from: now,
      });
    });
  });
  armSchedules(ctx);
}
