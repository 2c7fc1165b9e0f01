import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { RequestContext } from "../context.js";
import { buildPayload, DUMMY_PDF, type OutgoingFile } from "../delivery/payload.js";
import { badRequest } from "../errors.js";
import type { DeliveryRequest } from "../schemas/admin.js";
import type { ChannelHistoryJob, JobRecipient } from "../schemas/history.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import { storageTarget } from "../storage/destinations.js";
import { recordJobs } from "./history.js";
import { postToWebhook } from "./outgoing.js";
import { effectiveChannels } from "./preferences.js";
import { webhooksFor } from "./webhooks.js";

/** A stable v4-shaped uuid for a name (the same schedule keeps its id across runs). */
function uuidFor(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

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
  const recipients: JobRecipient[] =
    input.recipients?.map((r) => ({ type: r.type, id: r.id ?? null, name: r.name ?? null, email: r.email })) ??
    members.slice(0, 3).map((u) => ({ type: "USER" as const, id: u.id, name: u.display_name, email: u.email }));
  const job: ChannelHistoryJob = {
    id: ns.ids.jobId(),
    status: "PENDING",
    creation_time_in_millis: deps.clock.now(),
    event: {
      type: "LIVEBOARD_SCHEDULE",
      id: uuidFor(`${w.id}\u0000${input.schedule_name}`),
      name: input.schedule_name,
      run_id: ns.ids.uuid(),
    },
    recipients,
    detail: null,
    try_count: 0,
  };
  await recordJobs(ctx, [{ ch: w.id, org: w.org.id, job }]);
  const run = attempts(ctx, w, job, input.liveboard_name);
  ns.work.track(run);
  if (input.wait) await run;
  return { ...job, recipients: job.recipients && [...job.recipients] };
}

/** The `file` part: the PDF itself, or with a storage destination the upload report of the PDF put in the bucket. */
async function exportFile(ctx: RequestContext, w: WebhookRecord, job: ChannelHistoryJob, liveboardName: string): Promise<OutgoingFile> {
  const filename = `${liveboardName.replace(/[^\w.-]+/g, "_")}.pdf`;
  const dest = w.storage_destination;
  if (!dest) return { name: filename, contentType: "application/pdf", bytes: DUMMY_PDF };
  const target = storageTarget(dest, `webhooks/cluster-emulator/org-${w.org.id}/liveboard`, `${job.event.run_id}/${filename}`);
  let error: string | undefined;
  try {
    await ctx.ns.buckets.put(target.bucket, target.key, DUMMY_PDF);
  } catch (err) {
    error = (err as Error).message;
  }
  const report = {
    files: [
      {
        filename,
        contentType: "application/pdf",
        size: DUMMY_PDF.length,
        provider: dest.storage_type,
        bucketName: target.bucket,
        region: target.region,
        objectKey: target.key,
        uploadStatus: error ? "FAILED" : "SUCCESS",
        ...(error && { errorMessage: error }),
      },
    ],
    ...(error && { error }),
  };
  return { name: "upload-report.json", contentType: "application/json", bytes: Buffer.from(JSON.stringify(report)) };
}

async function attempts(ctx: RequestContext, w: WebhookRecord, job: ChannelHistoryJob, liveboardName: string): Promise<void> {
  const { deps, ns } = ctx;
  const payload = buildPayload({
    eventId: job.id,
    now: job.creation_time_in_millis,
    channelId: w.id,
    orgId: w.org.id,
    baseUrl: deps.origin.url,
    schedule: {
      id: job.event.id,
      name: job.event.name!,
      runId: job.event.run_id!,
      authorId: w.created_by.id,
      description: `Scheduled delivery of ${liveboardName}`,
    },
    liveboard: { id: uuidFor(`liveboard\u0000${liveboardName}`), name: liveboardName },
    recipients: (job.recipients ?? []).map((r) => ({
      type: r.type === "USER" ? "USER" : "EXTERNAL_EMAIL",
      id: r.id,
      name: r.name,
      email: r.email ?? "",
    })),
    ids: ns.ids,
  });
  const file = await exportFile(ctx, w, job, liveboardName);
  const max = deps.config.deliveryAttempts;
  const work = ns.work;
  for (let attempt = 1; attempt <= max; attempt++) {
    if (work.closed) return;
    const result = await postToWebhook(ctx, w, { payload, file }, "delivery.attempt");
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
