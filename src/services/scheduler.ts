import { setImmediate as turn } from "node:timers/promises";
import type { Namespace, RequestContext } from "../context.js";
import { type Cron, nextRun, parseCron, runTimes } from "../cron.js";
import type { ExportSettings } from "../delivery/payload.js";
import type { ChannelHistoryJob, JobRecipient } from "../schemas/history.js";
import type { LiveboardRecord } from "../schemas/liveboards.js";
import type { ScheduleRecord, ScheduleRun } from "../schemas/schedules.js";
import { deliverRun, type WebhookRun } from "./deliveries.js";
import { exportOf } from "./delivery-message.js";
import { findLiveboard } from "./liveboards.js";
import { mayUseOrg } from "./orgs.js";
import { scheduleChannels } from "./preferences.js";

/**
 * The scheduler (README, "Schedules"; docs/decisions.md, "Schedules"): per namespace, one alarm
 * on the emulator clock at its earliest due run. When the clock gets there — real time passing,
 * or POST /_emulator/clock moving it — every due run fires, in time order, through the org's
 * LIVEBOARD_SCHEDULE channels: WEBHOOK as a signed delivery to each ENABLED webhook of the org that
 * subscribes to the event, EMAIL as a message in the namespace's outbox.
 */

/** At most this many runs of one schedule fire per clock move: the newest; the older are skipped and counted. */
export const CATCH_UP_CAP = 100;
/** Deliveries in flight (trying, not waiting for the clock) before the runner waits for one. */
const IN_FLIGHT = 32;
/** The runner gives the event loop a turn at least this often. */
const SLICE_MS = 5;

interface Due {
  rec: ScheduleRecord;
  from: number;
  cron: Cron | null;
  at: number | null;
}

interface Runner {
  cancel: (() => void) | null;
  alarmAt: number | null;
  busy: boolean;
  again: boolean;
  /** Runs due at or before this never fire: the namespace came to life then (its fixtures' schedules start now). */
  floor: number;
  /** The first pass after start-up fires one run per schedule (the missed-run rule). */
  missed: boolean;
  skipped: Map<string, number>;
  due: Map<string, Due>;
  inflight: Set<Promise<void>>;
  /** Schedules whose cron could not be read (stored data from elsewhere), told once. */
  unreadable: Set<string>;
}

/** Keyed by the namespace's background work: one runner per life of a namespace (a reset makes a new one). */
const runners = new WeakMap<object, Runner>();

/**
 * Starts a namespace's scheduler once the namespace is made. `missed`: its schedules were on disk
 * at start-up, so runs missed while the emulator was stopped follow the missed-run rule (one
 * catch-up run per schedule, the latest); otherwise runs count from now.
 */
export function startSchedules(ctx: RequestContext, opts: { missed: boolean }): void {
  const r: Runner = {
    cancel: null,
    alarmAt: null,
    busy: false,
    again: false,
    floor: opts.missed ? Number.NEGATIVE_INFINITY : ctx.deps.clock.now(),
    missed: opts.missed,
    skipped: new Map(),
    due: new Map(),
    inflight: new Set(),
    unreadable: new Set(),
  };
  runners.set(ctx.ns.work, r);
  if (ctx.ns.state.schedules.length) armSchedules(ctx);
}

/** The instant after which a schedule's runs are due: its last run, else when its runs started counting. */
function watermark(r: Runner, ns: Namespace, s: ScheduleRecord): number {
  const runs = ns.state.schedule_runs[s.id] ?? [];
  let i = runs.length - 1;
  while (i >= 0 && runs[i]!.run_now) i--;
  return Math.max(s.runs_from, runs[i]?.scheduled_time_in_millis ?? Number.NEGATIVE_INFINITY, r.floor);
}

function dueOf(ctx: RequestContext, r: Runner, s: ScheduleRecord): Due {
  const from = watermark(r, ctx.ns, s);
  const known = r.due.get(s.id);
  if (known && known.rec === s && known.from === from) return known;
  let cron = known && known.rec.frequency === s.frequency ? known.cron : null;
  if (!cron) {
    try {
      cron = parseCron(s.frequency.cron_expression);
    } catch (err) {
      if (!r.unreadable.has(s.id)) {
        r.unreadable.add(s.id);
        ctx.deps.logger.warn({ ns: ctx.ns.name, schedule: s.id }, `Schedule '${s.name}' never runs: ${(err as Error).message}.`);
      }
    }
  }
  const due: Due = { rec: s, from, cron, at: cron ? nextRun(cron, s.time_zone, from) : null };
  r.due.set(s.id, due);
  return due;
}

/** Sets the namespace's alarm at its earliest due run (after a pass, if one is running). */
export function armSchedules(ctx: RequestContext): void {
  const r = runners.get(ctx.ns.work);
  const { ns, deps } = ctx;
  if (!r || ns.work.closed) return;
  if (r.busy) {
    r.again = true;
    return;
  }
  let earliest: number | null = null;
  for (const s of ns.state.schedules) {
    if (s.status !== "ACTIVE") continue;
    const at = dueOf(ctx, r, s).at;
    if (at !== null && (earliest === null || at < earliest)) earliest = at;
  }
  if (r.due.size > 2 * ns.state.schedules.length + 100) {
    const ids = new Set(ns.state.schedules.map((s) => s.id));
    for (const id of r.due.keys()) if (!ids.has(id)) r.due.delete(id);
  }
  if (earliest === r.alarmAt && r.cancel) return;
  r.cancel?.();
  r.cancel = null;
  r.alarmAt = earliest;
  if (earliest === null) return;
  r.cancel = deps.clock.at(
    earliest,
    () => {
      r.cancel = null;
      r.alarmAt = null;
      pass(ctx, r);
    },
    { signal: ns.work.signal },
  );
}

/** One pass of the runner: every run due now fires; changes made meanwhile are looked at again. */
function pass(ctx: RequestContext, r: Runner): void {
  const work = ctx.ns.work;
  r.busy = true;
  const task = ctx.deps.clock.task(async () => {
    try {
      do {
        r.again = false;
        await fireDue(ctx, r);
        r.missed = false;
      } while (r.again && !work.closed);
    } finally {
      r.busy = false;
      if (!work.closed) armSchedules(ctx);
    }
  });
  work.track(task);
}

/** Gives the event loop a turn when the runner has held it SLICE_MS. */
function slicer() {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await turn();
    since = performance.now();
  };
}

async function fireDue(ctx: RequestContext, r: Runner): Promise<void> {
  const { ns, deps } = ctx;
  const work = ns.work;
  const now = deps.clock.now();
  const cap = r.missed ? 1 : CATCH_UP_CAP;
  const breathe = slicer();
  const picked: { s: ScheduleRecord; at: number; order: number }[] = [];
  const schedules = [...ns.state.schedules];
  for (let i = 0; i < schedules.length; i++) {
    const s = schedules[i]!;
    if (s.status !== "ACTIVE") continue;
    const due = dueOf(ctx, r, s);
    if (due.at === null || due.at > now || !due.cron) continue;
    const newest: number[] = [];
    let total = 0;
    for (const at of runTimes(due.cron, s.time_zone, due.from, now)) {
      total++;
      newest.push(at);
      if (newest.length > cap) newest.shift();
      if ((total & 255) === 0) {
        await breathe();
        if (work.closed) return;
      }
    }
    if (total > newest.length) noteSkipped(ctx, r, s, total - newest.length, due.from, newest[0]!);
    for (const at of newest) picked.push({ s, at, order: i });
    await breathe();
    if (work.closed) return;
  }
  picked.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const p of picked) {
    if (work.closed) return;
    // A schedule changed or deleted meanwhile: its runs are looked at again on the next pass.
    if (ns.state.schedules.find((x) => x.id === p.s.id) !== p.s) {
      r.again = true;
      continue;
    }
    await fireRun(ctx, r, p.s, p.at);
    await breathe();
  }
}

function noteSkipped(ctx: RequestContext, r: Runner, s: ScheduleRecord, n: number, from: number, firstFired: number): void {
  r.skipped.set(s.id, (r.skipped.get(s.id) ?? 0) + n);
  const why = r.missed
    ? "missed while the emulator was stopped (one catch-up run fires per schedule)"
    : `due at once (at most ${CATCH_UP_CAP} runs of a schedule fire per clock move, the newest)`;
  const span = `${new Date(Math.max(from, 0)).toISOString()} and ${new Date(firstFired).toISOString()}`;
  ctx.deps.logger.info(
    { ns: ctx.ns.name, schedule: s.id, skipped: n },
    `Schedule '${s.name}': ${n} run(s) between ${span} skipped, ${why}.`,
  );
  ctx.ns.events.emit("schedule", () => ({
    schedule: { id: s.id, name: s.name },
    skipped: n,
    reason: r.missed ? "missed" : "catch-up cap",
  }));
}

/** Who a run goes to: users (groups' members too), e-mail addresses; groups listed as such. */
export function audienceOf(ns: Namespace, s: ScheduleRecord) {
  const recipients: JobRecipient[] = [];
  const groupIds: string[] = [];
  const add = (r: JobRecipient) => {
    if (!recipients.some((x) => (r.id !== null && x.id === r.id) || (r.id === null && x.email === r.email))) recipients.push(r);
  };
  for (const p of s.recipient_details.principals) {
    if (p.type === "USER") {
      const u = ns.state.users.find((x) => x.id === p.identifier || x.name === p.identifier);
      if (u) add({ type: "USER", id: u.id, name: u.display_name, email: u.email });
    } else {
      groupIds.push(p.identifier);
      for (const u of ns.state.users.filter((x) => x.groups?.includes(p.identifier) && mayUseOrg(x, s.org)))
        add({ type: "USER", id: u.id, name: u.display_name, email: u.email });
    }
  }
  for (const email of s.recipient_details.emails) add({ type: "EXTERNAL", id: null, name: null, email });
  const emails = [...new Set(recipients.map((r) => r.email).filter((e): e is string => !!e))];
  return { recipients, groupIds, emails };
}

/** The schedule's PDF and Liveboard options as the payload's export settings. */
function exportSettings(s: ScheduleRecord, board: LiveboardRecord): ExportSettings {
  const p = s.pdf_options;
  const picked = s.liveboard_options?.visualization_identifiers;
  const given = <T>(v: T | null | undefined) => (v === null ? undefined : v);
  return {
    orientation: given(p?.page_orientation),
    pageSize: given(p?.page_size),
    completeLiveboard: given(p?.complete_liveboard) ?? !picked?.length,
    includeCoverPage: given(p?.include_cover_page),
    includeFilterPage: given(p?.include_filter_page),
    includeLogo: given(p?.include_custom_logo),
    includePageNumber: given(p?.include_page_number),
    footerText: given(p?.page_footer_text),
    truncateTables: given(p?.truncate_table),
    vizIds: picked?.length ? picked : board.visualizations.map((v) => v.id),
  };
}

const liveboardLink = (ctx: RequestContext, board: LiveboardRecord, viewId: string | null) =>
  `${ctx.deps.origin.url}/?utm_source=scheduled-pinboard&utm_medium=email#/pinboard/${board.id}${viewId ? `?view=${viewId}` : ""}`;

/**
 * One run of a schedule: recorded, then sent through every channel; its end is recorded when the
 * last channel is done. `now`: a run-now run (`onStarted` is told once it is recorded).
 */
async function fireRun(
  ctx: RequestContext,
  r: Runner,
  s: ScheduleRecord,
  at: number,
  now?: { onStarted: (run: ScheduleRun) => void },
): Promise<void> {
  const { ns, deps } = ctx;
  const run: ScheduleRun = {
    id: ns.ids.uuid(),
    scheduled_time_in_millis: at,
    start_time_in_millis: at,
    end_time_in_millis: at,
    status: "RUNNING",
    detail: null,
    ...(now && { run_now: true as const }),
  };
  await deps.store.mutate(ns, (tx) => tx.putScheduleRun(s.id, run));
  emitRun(ns, s, run);
  now?.onStarted(run);
  const began = deps.clock.now();
  const notes: string[] = [];
  let failed = false;
  let pending = 1;
  const settle = async (ok: boolean, note: string | null) => {
    if (!ok) failed = true;
    if (note) notes.push(note);
    if (--pending > 0 || ns.work.closed) return;
    const end: ScheduleRun = {
      ...run,
      end_time_in_millis: at + Math.max(0, deps.clock.now() - began),
      status: failed ? "FAILED" : "SUCCESS",
      detail: notes.length ? notes.join(" ") : "Scheduled updates generated as expected.",
    };
    await deps.store.mutate(ns, (tx) => tx.putScheduleRun(s.id, end));
    emitRun(ns, s, end);
  };

  const board = findLiveboard(ns, s.org.id, s.metadata.id);
  if (!board) {
    pending++;
    await settle(false, `Liveboard ${s.metadata.id} does not exist in org '${s.org.name}'.`);
    return settle(true, null);
  }
  const { channels, source } = scheduleChannels(ns, s.org.id);
  const audience = audienceOf(ns, s);
  const view = s.personalised_view_id ? (board.views.find((v) => v.id === s.personalised_view_id) ?? null) : null;
  const format = s.file_format.toLowerCase();
  if (channels.length === 0) {
    const where = source === "org" ? "its override" : "the cluster value";
    notes.push(`No channel is on for LIVEBOARD_SCHEDULE in org '${s.org.name}' (${where} is []): nothing was sent.`);
  }
  if (channels.includes("EMAIL")) {
    pending++;
    if (audience.emails.length === 0) await settle(false, "EMAIL: no recipient has an e-mail address.");
    else {
      const file = exportOf(board.name, format);
      const entry = ns.outbox.add({
        sent_at: at,
        sent_iso: new Date(at).toISOString(),
        org: s.org,
        schedule: { id: s.id, name: s.name },
        run_id: run.id,
        liveboard: { id: board.id, name: board.name },
        from: "ThoughtSpot <no-reply@thoughtspot.invalid>",
        to: audience.emails,
        subject: `${s.name}: ${board.name}`,
        text: [
          `${s.name}`,
          `Liveboard: ${board.name}${view ? ` (View: ${view.name})` : ""}`,
          `Description: ${s.description}`,
          `Open it in ThoughtSpot: ${liveboardLink(ctx, board, view?.id ?? null)}`,
          `Attached: ${file.name}`,
        ].join("\n"),
        attachment: { name: file.name, content_type: file.contentType, size: file.bytes.length },
      });
      ns.events.emit("outbox", () => entry);
      await settle(true, null);
    }
  }
  if (channels.includes("WEBHOOK")) {
    const hooks = ns.state.webhooks.filter((w) => w.org.id === s.org.id && w.events.includes("LIVEBOARD_SCHEDULE"));
    const enabled = hooks.filter((w) => w.status === "ENABLED");
    if (enabled.length === 0) {
      pending++;
      await settle(
        false,
        hooks.length
          ? `WEBHOOK: every LIVEBOARD_SCHEDULE webhook of org '${s.org.name}' is DISABLED.`
          : `WEBHOOK: no webhook of org '${s.org.name}' subscribes to LIVEBOARD_SCHEDULE.`,
      );
    }
    const delivery: WebhookRun = {
      time: at,
      runId: run.id,
      schedule: { id: s.id, name: s.name, description: s.description, creationTime: s.creation_time_in_millis, authorId: s.author.id },
      liveboard: { name: board.name, id: board.id, vizIds: board.visualizations.map((v) => v.id) },
      viewName: view?.name ?? null,
      ...(view && { viewId: view.id }),
      recipients: audience.recipients,
      groupIds: audience.groupIds,
      aiHighlights: "",
      fileFormat: format,
      export: exportSettings(s, board),
    };
    for (const w of enabled) {
      if (ns.work.closed) return;
      pending++;
      const done = (job: ChannelHistoryJob) =>
        settle(job.status === "SUCCESS", job.status === "SUCCESS" ? null : `WEBHOOK '${w.name}': ${job.detail ?? job.status}.`);
      const started = await deliverRun(ctx, w, delivery, done);
      r.inflight.add(started.resting);
      void started.resting.then(() => r.inflight.delete(started.resting));
      while (r.inflight.size >= IN_FLIGHT) await Promise.race(r.inflight);
    }
  }
  await settle(true, null);
}

/**
 * POST /_emulator/schedules/:schedule/run: one run of the schedule at the clock's now, whatever its
 * status (ThoughtSpot's "Run now"), through the org's channels like any run. It is kept out of the
 * watermark, so the regular runs stay due when they were (none skipped, none doubled). Resolves
 * once the run is recorded as RUNNING; the channels go on in the background.
 */
export async function runNow(ctx: RequestContext, s: ScheduleRecord): Promise<ScheduleRun> {
  const { ns, deps } = ctx;
  const r = runners.get(ns.work);
  if (!r || ns.work.closed) throw new Error(`The scheduler of namespace '${ns.name}' is not running.`);
  let started!: (run: ScheduleRun) => void;
  const recorded = new Promise<ScheduleRun>((resolve) => {
    started = resolve;
  });
  const task = deps.clock.task(() => fireRun(ctx, r, s, deps.clock.now(), { onStarted: started }));
  ns.work.track(task);
  return Promise.race([recorded, task.then(() => recorded)]);
}

function emitRun(ns: Namespace, s: ScheduleRecord, run: ScheduleRun): void {
  ns.events.emit("schedule", () => ({ schedule: { id: s.id, name: s.name }, run }));
}

/** A schedule's runs as search answers them (`history_runs`), newest first. */
export function runsOf(ns: Pick<Namespace, "state">, s: ScheduleRecord) {
  return (ns.state.schedule_runs[s.id] ?? [])
    .slice()
    .reverse()
    .map((r) => ({
      id: r.id,
      start_time_in_millis: r.start_time_in_millis,
      end_time_in_millis: r.end_time_in_millis,
      status: r.status,
      detail: r.detail,
    }));
}

/** What the admin views show of the scheduler: a schedule's next run and the runs it skipped. */
export function schedulerView(ctx: RequestContext, s: ScheduleRecord): { next_run_time_in_millis: number | null; skipped_runs: number } {
  const r = runners.get(ctx.ns.work);
  if (!r) return { next_run_time_in_millis: null, skipped_runs: 0 };
  return {
    next_run_time_in_millis: s.status === "ACTIVE" ? dueOf(ctx, r, s).at : null,
    skipped_runs: r.skipped.get(s.id) ?? 0,
  };
}
