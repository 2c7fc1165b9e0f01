import type { RequestContext } from "../context.js";
import type { ExportSettings, OutgoingFile } from "../delivery/payload.js";
import type { Message } from "../delivery/post.js";
import { badRequest } from "../errors.js";
import { nameUuid } from "../random.js";
import type { DeliveryRequest } from "../schemas/admin.js";
import type { ChannelHistoryJob, JobRecipient } from "../schemas/history.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import { uploadErrorText } from "../storage/destinations.js";
import { exportOf, objectTarget, scheduleMessage, type UploadError, uploadReport } from "./delivery-message.js";
import { recordJobs } from "./history.js";
import { factsOf, postToWebhook } from "./outgoing.js";
import { effectiveChannels } from "./preferences.js";
import { webhooksFor } from "./webhooks.js";

/** A cluster only fires a webhook that is ENABLED, subscribes to the event, and is among its org's channels. */
function checkEligible(ctx: RequestContext, w: WebhookRecord): void {
  if (w.status !== "ENABLED") throw badRequest(`Webhook '${w.name}' is DISABLED: a cluster would not deliver to it.`);
  if (!w.events.includes("LIVEBOARD_SCHEDULE")) throw badRequest(`Webhook '${w.name}' does not subscribe to LIVEBOARD_SCHEDULE.`);
  const { channels, source } = effectiveChannels(ctx.ns, w.org.id, "LIVEBOARD_SCHEDULE");
  if (!channels.includes("WEBHOOK")) {
    throw badRequest(
      `WEBHOOK is not among the LIVEBOARD_SCHEDULE channels of org '${w.org.name}' (${source === "org" ? "its override" : "the cluster value"}: ${JSON.stringify(channels)}). ` +
        "Configure it with POST /api/rest/2.0/system/preferences/communication-channels/configure.",
    );
  }
}

/** One run of a Liveboard schedule at one webhook: what its history job records and its message carries. */
export interface WebhookRun {
  /** When the run fires (emulator clock): the job's creation time, the payload's timestamp, the first try. */
  time: number;
  runId: string;
  schedule: { id: string; name: string; description: string; creationTime: number; authorId: string };
  liveboard: { name: string; id?: string; vizIds?: string[] };
  viewName?: string | null;
  viewId?: string;
  recipients: (JobRecipient & { locale?: string })[];
  groupIds?: string[];
  aiHighlights: string;
  /** Lower case (default "pdf"). */
  fileFormat?: string;
  export?: ExportSettings;
}

/** A delivery that has started: its PENDING job, and the final job once every try is made. */
export interface StartedDelivery {
  job: ChannelHistoryJob;
  /** The final job (SUCCESS or FAILED); resolves with the job as it was if the namespace is reset meanwhile. */
  done: Promise<ChannelHistoryJob>;
  /** Resolves once the delivery is done or waits for the clock (a frozen clock must be moved for the next try). */
  resting: Promise<void>;
  /** The job as it is now. */
  current(): ChannelHistoryJob;
}

/**
 * Records a PENDING history job for the run and starts the tries in the namespace's background
 * work (docs/decisions.md, "Deliveries"): up to `deliveryAttempts` signed multipart POSTs, the
 * waits between them on the emulator clock, the job moving through RETRY to SUCCESS or FAILED.
 * Scenario outcomes at `delivery.attempt` script the receiver. The caller checked eligibility.
 */
export async function deliverRun(
  ctx: RequestContext,
  w: WebhookRecord,
  run: WebhookRun,
  /** Called with the final job, within the delivery's clock task (a scheduled run records its end). */
  onDone?: (job: ChannelHistoryJob) => Promise<void>,
): Promise<StartedDelivery> {
  const { ns } = ctx;
  const job: ChannelHistoryJob = {
    id: ns.ids.jobId(),
    status: "PENDING",
    creation_time_in_millis: run.time,
    event: { type: "LIVEBOARD_SCHEDULE", id: run.schedule.id, name: run.schedule.name, run_id: run.runId },
    recipients: run.recipients.map(({ locale: _, ...r }) => r),
    detail: null,
    try_count: 0,
  };
  await recordJobs(ctx, [{ ch: w.id, org: w.org.id, job }]);
  const message = await runMessage(ctx, w, job, run);
  let rested = () => {};
  const resting = new Promise<void>((resolve) => {
    rested = resolve;
  });
  const finished = attempts(ctx, w, job, message, run.time, rested, onDone).finally(rested);
  ns.work.track(finished);
  const snapshot = () => ({ ...job, recipients: job.recipients && [...job.recipients] });
  return { job: snapshot(), done: finished.then(snapshot, snapshot), resting, current: snapshot };
}

/**
 * POST /_emulator/deliveries: fires one Liveboard schedule run at a webhook the way a cluster does.
 * With `wait` the call returns the final job; with a frozen clock, the job as it is once the
 * delivery waits for the clock to move (a RETRY).
 */
export async function runDelivery(ctx: RequestContext, input: DeliveryRequest): Promise<ChannelHistoryJob> {
  const { ns, deps } = ctx;
  const [w] = webhooksFor(ctx.ns, input.org_identifier, input.channel_identifier);
  checkEligible(ctx, w);
  const members = ns.state.users.filter((u) => u.orgs.includes(w.org.id));
  const given = input.recipients?.map((r) => ({ type: r.type, id: r.id ?? null, name: r.name ?? null, email: r.email, locale: r.locale }));
  const recipients: (JobRecipient & { locale?: string })[] =
    given ?? members.slice(0, 3).map((u) => ({ type: "USER" as const, id: u.id, name: u.display_name, email: u.email }));
  const started = await deliverRun(ctx, w, {
    time: deps.clock.now(),
    runId: ns.ids.uuid(),
    schedule: {
      id: nameUuid(`${w.id}\u0000${input.schedule_name}`),
      name: input.schedule_name,
      description: `Scheduled delivery of ${input.liveboard_name}`,
      // A schedule named here lives as long as its webhook, created by the webhook's author.
      creationTime: w.creation_time_in_millis,
      authorId: w.created_by.id,
    },
    liveboard: { name: input.liveboard_name },
    viewName: input.view_name,
    recipients,
    aiHighlights: input.ai_highlights,
  });
  if (!input.wait) return started.job;
  if (!deps.clock.frozen) return started.done;
  await started.resting;
  return started.current();
}

/**
 * The `file` part: the export itself, or with a storage destination the upload report of the
 * export put in the bucket under the schedule author's key; `delivery.storage` outcomes make the upload fail.
 */
async function exportFile(ctx: RequestContext, w: WebhookRecord, run: WebhookRun): Promise<OutgoingFile> {
  const exported = exportOf(run.liveboard.name, run.fileFormat ?? "pdf");
  const dest = w.storage_destination;
  if (!dest) return exported;
  const target = objectTarget(ctx, dest, w.org.id, run.schedule.authorId, exported.name);
  const forced = ctx.deps.scenarios.outcome(ctx, "delivery.storage", factsOf(w));
  let error: UploadError | null = forced ? uploadErrorText(forced.storage_error, dest) : null;
  if (!error) {
    try {
      await ctx.ns.buckets.put(target.bucket, target.key, exported.bytes);
    } catch (err) {
      error = { text: (err as Error).message, files: true };
    }
  }
  return uploadReport(dest, exported, target, error);
}

/** The message every try of this run sends: the schedule's payload and its file part. */
async function runMessage(ctx: RequestContext, w: WebhookRecord, job: ChannelHistoryJob, run: WebhookRun): Promise<Message> {
  const file = await exportFile(ctx, w, run);
  return scheduleMessage(
    ctx,
    w,
    {
      eventId: job.id,
      now: run.time,
      schedule: { ...run.schedule, runId: run.runId },
      liveboardName: run.liveboard.name,
      ...(run.liveboard.id && { liveboard: { id: run.liveboard.id, vizIds: run.liveboard.vizIds ?? [] } }),
      viewName: run.viewName,
      ...(run.viewId && { viewId: run.viewId }),
      recipients: run.recipients.map((r) => ({
        type: r.type === "USER" ? "USER" : "EXTERNAL_EMAIL",
        id: r.id,
        name: r.name,
        email: r.email ?? "",
        locale: r.locale ?? "en_US",
      })),
      ...(run.groupIds && { groupIds: run.groupIds }),
      aiHighlights: run.aiHighlights,
      ...(run.fileFormat && { fileFormat: run.fileFormat }),
      ...(run.export && { export: run.export }),
    },
    file,
  );
}

/**
 * The tries of one delivery, as a task of the emulator clock: try k+1 is due a backoff after try k
 * ended, in emulator time (docs/decisions.md, "The emulator clock"). A run that fires late (a clock
 * moved past it) starts at its own time, so tries whose time has passed follow at once.
 */
function attempts(
  ctx: RequestContext,
  w: WebhookRecord,
  job: ChannelHistoryJob,
  message: Message,
  start: number,
  rest: () => void,
  onDone?: (job: ChannelHistoryJob) => Promise<void>,
) {
  const { deps, ns } = ctx;
  const max = deps.config.deliveryAttempts;
  const work = ns.work;
  return deps.clock.task(async (sleepUntil) => {
    let tryAt = start;
    for (let attempt = 1; attempt <= max; attempt++) {
      if (work.closed) return;
      const began = deps.clock.now();
      const result = await postToWebhook(ctx, w, message, "delivery.attempt", { purpose: "delivery", jobId: job.id, attempt, of: max });
      const last = attempt === max;
      if (work.closed) return; // the namespace was reset (or the emulator closed) meanwhile
      job.try_count = attempt;
      job.status = result.ok ? "SUCCESS" : last ? "FAILED" : "RETRY";
      job.detail = result.ok ? "" : result.error;
      await recordJobs(ctx, [{ ch: w.id, org: w.org.id, job }]);
      if (result.ok || last) {
        if (onDone && !work.closed) await onDone({ ...job, recipients: job.recipients && [...job.recipients] });
        return;
      }
      const backoff = deps.config.deliveryBackoffMs;
      tryAt += Math.max(0, deps.clock.now() - began) + (backoff[attempt - 1] ?? backoff.at(-1) ?? 1000);
      if (tryAt > deps.clock.now()) rest();
      await sleepUntil(tryAt, work.signal);
    }
  });
}
