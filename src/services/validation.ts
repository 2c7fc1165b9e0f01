import type { AuthedContext } from "../context.js";
import { DUMMY_PDF, type OutgoingFile } from "../delivery/payload.js";
import type { SendResult } from "../delivery/send.js";
import { badRequest } from "../errors.js";
import type { StoredObjectInfo, ValidateChannelRequest, ValidationDetail } from "../schemas/validation.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import { storageErrorText } from "../storage/destinations.js";
import { objectTarget, scheduleMessage, uploadReport } from "./delivery-message.js";
import { type Reservation, recordJobs, reserveJobs } from "./history.js";
import { factsOf, postToWebhook } from "./outgoing.js";
import { findWebhook } from "./webhooks.js";

const pad = (n: number) => String(n).padStart(2, "0");
function dummyFileName(now: number): string {
  const d = new Date(now);
  const date = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  return `validation_dummy_${date}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.pdf`;
}

interface StorageCheck {
  detail: ValidationDetail;
  /** The upload report the HTTP check's test POST attaches. */
  report: OutgoingFile;
}

/** STORAGE_FILE_UPLOAD_CHECK: writes validation_dummy_<time>.pdf into the namespace's local bucket under the caller's key. */
async function storageCheck(ctx: AuthedContext, w: WebhookRecord): Promise<StorageCheck> {
  const dest = w.storage_destination!;
  const file_name = dummyFileName(ctx.deps.clock.now());
  const target = objectTarget(ctx, dest, w.org.id, ctx.principal.user.id, file_name);
  const info: StoredObjectInfo = { bucket_name: target.bucket, file_name, object_key: target.key };
  const forced = ctx.deps.scenarios.outcome(ctx, "validation.storage", factsOf(w));
  let error: string | null = forced ? storageErrorText(forced.storage_error, dest, ctx.ns.ids) : null;
  if (!error) {
    try {
      await ctx.ns.buckets.put(info.bucket_name, info.object_key, DUMMY_PDF);
    } catch (err) {
      error = `PutObject failed: ${(err as Error).message}`;
    }
  }
  const dummy = { name: file_name, contentType: "application/pdf", bytes: DUMMY_PDF };
  return {
    detail: {
      validation_step: "STORAGE_FILE_UPLOAD_CHECK",
      status: error ? "FAILED" : "SUCCESS",
      http_status: null,
      error_message: error,
      aws_s3_info: target.infoKey === "aws_s3_info" ? info : null,
      ...(target.infoKey === "gcp_gcs_info" && { gcp_gcs_info: info }),
    },
    report: uploadReport(dest, dummy, target, error === null ? null : { text: error, files: true }),
  };
}

/**
 * The test POST of HTTP_CONNECTION_CHECK: a delivery of a test schedule run with the documented
 * payload and a one-page PDF, or for a storage webhook the upload report of the storage check.
 */
function sendTest(ctx: AuthedContext, w: WebhookRecord, jobId: string, report: OutgoingFile | undefined): Promise<SendResult> {
  const { ns, principal, deps } = ctx;
  const now = deps.clock.now();
  const file = report ?? { name: "validation.pdf", contentType: "application/pdf", bytes: DUMMY_PDF };
  const message = scheduleMessage(
    ctx,
    w,
    {
      eventId: jobId,
      now,
      schedule: {
        id: ns.ids.uuid(),
        name: "Webhook validation",
        description: "Test delivery sent by channel validation",
        creationTime: now,
        authorId: principal.user.id,
        runId: ns.ids.uuid(),
      },
      liveboardName: "Validation Liveboard",
      recipients: [
        { type: "USER", id: principal.user.id, name: principal.user.display_name, email: principal.user.email, locale: "en_US" },
      ],
      aiHighlights: "",
    },
    file,
  );
  return postToWebhook(ctx, w, message, "validation.http", { purpose: "validation", jobId, attempt: 1, of: 1 });
}

/**
 * POST /system/communication-channels/validate: 200 even when a step failed. Details are listed
 * storage step first, HTTP step second, as real clusters do (docs/decisions.md, "Validation");
 * the run is kept as a history job.
 */
export async function validateChannel(ctx: AuthedContext, input: ValidateChannelRequest) {
  const w = findWebhook(ctx.ns, ctx.principal.org.id, input.channel_identifier);
  if (!w) throw badRequest("Webhook with the specified channel_identifier was not found.");
  // Room for its history job first: at --max-jobs nothing is sent and the answer is a 400.
  const room = reserveJobs(ctx, 1);
  try {
    return await validate(ctx, input, w, room);
  } finally {
    room.release();
  }
}

async function validate(ctx: AuthedContext, input: ValidateChannelRequest, w: WebhookRecord, room: Reservation) {
  const jobId = `n.validation-${ctx.ns.ids.uuid()}`;
  const started = ctx.deps.clock.now();
  // The storage step runs first: the test POST of a storage webhook carries its upload report.
  const storage = w.storage_destination ? await storageCheck(ctx, w) : undefined;
  const http = await sendTest(ctx, w, jobId, storage?.report);
  const details: ValidationDetail[] = [];
  if (storage) details.push(storage.detail);
  details.push({
    validation_step: "HTTP_CONNECTION_CHECK",
    status: http.ok ? "SUCCESS" : "FAILED",
    http_status: http.http_status,
    error_message: http.error,
    aws_s3_info: null,
  });
  const failed = details.filter((d) => d.status === "FAILED");
  const result_code = failed.length === 0 ? "SUCCESS" : failed.length === details.length ? "FAILED" : "PARTIAL_SUCCESS";
  const detail = failed
    .map((d) => {
      const info = d.aws_s3_info ?? d.gcp_gcs_info;
      return info ? `${d.validation_step} (bucket: ${info.bucket_name}): ${d.error_message}` : `${d.validation_step}: ${d.error_message}`;
    })
    .join("; ");
  await recordJobs(
    ctx,
    [
      {
        ch: w.id,
        org: w.org.id,
        job: {
          id: jobId,
          status: result_code === "SUCCESS" ? "SUCCESS" : "FAILED",
          creation_time_in_millis: started,
          event: { type: "LIVEBOARD_SCHEDULE", id: `validation-${w.id}`, name: null, run_id: null },
          recipients: null,
          detail,
          try_count: 1,
        },
      },
    ],
    room,
  );
  return {
    channel_type: "WEBHOOK",
    channel_id: w.id,
    channel_name: w.name,
    event_type: input.event_type,
    job_id: jobId,
    result_code,
    details,
  };
}
