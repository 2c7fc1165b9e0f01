import { setTimeout as sleep } from "node:timers/promises";
import type { RequestContext } from "../context.js";
import { DUMMY_PDF, type OutgoingFile } from "../delivery/payload.js";
import type { Message } from "../delivery/post.js";
import { badRequest } from "../errors.js";
import { nameUuid } from "../random.js";
import type { DeliveryRequest } from "../schemas/admin.js";
import type { ChannelHistoryJob, JobRecipient } from "../schemas/history.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import { uploadErrorText } from "../storage/destinations.js";
import { objectTarget, scheduleMessage, type UploadError, uploadReport } from "./delivery-message.js";
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

/**
 * POST /_emulator/deliveries: fires one Liveboard schedule run at a webhook the way a cluster does
 * (docs/decisions.md, "Deliveries"): a PENDING history job, then up to `deliveryAttempts` signed multipart POSTs with
 * the configured backoff, the job moving through RETRY to SUCCESS or FAILED. Scenario outcomes at
 * `delivery.attempt` script the receiver. With `wait` the call returns the final job.
 */
export async function runDelivery(ctx: RequestContext, input: DeliveryRequest): Promise<ChannelHistoryJob> {
  const { ns, deps } = ctx;
  const [w] = webhooksFor(ctx.ns, input.org_identifier, input.channel_identifier);
  checkEligible(ctx, w);
  const members = ns.state.users.filter((u) => u.orgs.includes(w.org.id));
  const given = input.recipients?.map((r) => ({ type: r.type, id: r.id ?? null, name: r.name ?? null, email: r.email, locale: r.locale }));
  const recipients: (JobRecipient & { locale?: string })[] =
    given ?? members.slice(0, 3).map((u) => ({ type: "USER" as const, id: u.id, name: u.display_name, email: u.email }));
  const job: ChannelHistoryJob = {
    id: ns.ids.jobId(),
    status: "PENDING",
    creation_time_in_millis: deps.clock.now(),
    event: {
      type: "LIVEBOARD_SCHEDULE",
      id: nameUuid(`${w.id}\u0000${input.schedule_name}`),
      name: input.schedule_name,
      run_id: ns.ids.uuid(),
    },
    recipients: recipients.map(({ locale: _, ...r }) => r),
    detail: null,
    try_count: 0,
  };
  await recordJobs(ctx, [{ ch: w.id, org: w.org.id, job }]);
  const message = await runMessage(ctx, w, job, input, recipients);
  const run = attempts(ctx, w, job, message);
  ns.work.track(run);
  if (input.wait) await run;
  return { ...job, recipients: job.recipients && [...job.recipients] };
}

/**
 * The `file` part: the PDF itself, or with a storage destination the upload report of the PDF put
 * in the bucket under the schedule author's key; `delivery.storage` outcomes make the upload fail.
 */
async function exportFile(ctx: RequestContext, w: WebhookRecord, liveboardName: string): Promise<OutgoingFile> {
  const pdf = { name: `${liveboardName.replace(/[^\w.-]+/g, "_")}.pdf`, contentType: "application/pdf", bytes: DUMMY_PDF };
  const dest = w.storage_destination;
  if (!dest) return pdf;
  const target = objectTarget(ctx, dest, w.org.id, w.created_by.id, pdf.name);
  const forced = ctx.deps.scenarios.outcome(ctx, "delivery.storage", factsOf(w));
  let error: UploadError | null = forced ? uploadErrorText(forced.storage_error, dest) : null;
  if (!error) {
    try {
      await ctx.ns.buckets.put(target.bucket, target.key, pdf.bytes);
    } catch (err) {
      error = { text: (err as Error).message, files: true };
    }
  }
  return uploadReport(dest, pdf, target, error);
}

/** The message every try of this run sends: the schedule's payload and its file part. */
async function runMessage(
  ctx: RequestContext,
  w: WebhookRecord,
  job: ChannelHistoryJob,
  input: DeliveryRequest,
  recipients: (JobRecipient & { locale?: string })[],
): Promise<Message> {
  const file = await exportFile(ctx, w, input.liveboard_name);
  return scheduleMessage(
    ctx,
    w,
    {
      eventId: job.id,
      now: job.creation_time_in_millis,
      schedule: {
        id: job.event.id,
        name: job.event.name!,
        description: `Scheduled delivery of ${input.liveboard_name}`,
        // The emulator keeps no schedules: one lives as long as its webhook, created by the webhook's author.
        creationTime: w.creation_time_in_millis,
        authorId: w.created_by.id,
        runId: job.event.run_id!,
      },
      liveboardName: input.liveboard_name,
      viewName: input.view_name,
      recipients: recipients.map((r) => ({
        type: r.type === "USER" ? "USER" : "EXTERNAL_EMAIL",
        id: r.id,
        name: r.name,
        email: r.email ?? "",
        locale: r.locale ?? "en_US",
      })),
      aiHighlights: input.ai_highlights,
    },
    file,
  );
}

async function attempts(ctx: RequestContext, w: WebhookRecord, job: ChannelHistoryJob, message: Message): Promise<void> {
  const { deps, ns } = ctx;
  const max = deps.config.deliveryAttempts;
  const work = ns.work;
  for (let attempt = 1; attempt <= max; attempt++) {
    if (work.closed) return;
    const result = await postToWebhook(ctx, w, message, "delivery.attempt", { purpose: "delivery", jobId: job.id, attempt, of: max });
    const last = attempt === max;
    if (work.closed) return; // the namespace was reset (or the emulator closed) meanwhile
    job.try_count = attempt;
    job.status = result.ok ? "SUCCESS" : last ? "FAILED" : "RETRY";
    job.detail = result.ok ? "" : result.error;
    await recordJobs(ctx, [{ ch: w.id, org: w.org.id, job }]);
    if (result.ok || last) return;
    const backoff = deps.config.deliveryBackoffMs;
    await sleep(backoff[attempt - 1] ?? backoff.at(-1) ?? 1000, undefined, { signal: work.signal });
  }
}
