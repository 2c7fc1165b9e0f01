import type { RequestContext } from "../context.js";
import { buildPayload, type OutgoingFile, type PayloadRecipient } from "../delivery/payload.js";
import type { Message } from "../delivery/post.js";
import { nameUuid } from "../random.js";
import type { WebhookRecord } from "../schemas/webhooks.js";
import { type StorageDestination, storageTarget } from "../storage/destinations.js";

/**
 * What a Liveboard schedule delivery (and the validation's test POST) carries: the documented
 * payload filled from the emulator's state, and for a storage destination the upload report
 * (docs/decisions.md, "Delivery payload", "Storage object keys").
 */

/** The cluster's instance id: one per namespace, each namespace playing one cluster. */
export const instanceId = (ctx: RequestContext): string => nameUuid(`instance\u0000${ctx.ns.name}`);

/** The personalised view plain deliveries schedule unless told otherwise (the documented plain payload has one). */
export const DEFAULT_VIEW_NAME = "Team view";

export interface ScheduleRun {
  eventId: string;
  /** When the run fires (epoch ms). */
  now: number;
  schedule: { id: string; name: string; description: string; creationTime: number; authorId: string; runId: string };
  liveboardName: string;
  /** A view name, null for none; undefined: the variant's default (plain: DEFAULT_VIEW_NAME, storage: none). */
  viewName?: string | null;
  recipients: PayloadRecipient[];
  aiHighlights: string;
}

/** The payload and the file part of one run at a webhook; the message is the same on every try. */
export function scheduleMessage(ctx: RequestContext, w: WebhookRecord, run: ScheduleRun, file: OutgoingFile): Message {
  const variant = w.storage_destination ? "storage" : "plain";
  const liveboardId = nameUuid(`liveboard\u0000${run.liveboardName}`);
  const viewName = run.viewName === undefined ? (variant === "plain" ? DEFAULT_VIEW_NAME : null) : run.viewName;
  const payload = buildPayload({
    variant,
    eventId: run.eventId,
    now: run.now,
    baseUrl: ctx.deps.origin.url,
    instanceId: instanceId(ctx),
    channelId: w.id,
    orgId: w.org.id,
    schedule: {
      ...run.schedule,
      view: viewName === null ? null : { id: nameUuid(`view\u0000${liveboardId}\u0000${viewName}`), name: viewName },
    },
    liveboard: {
      id: liveboardId,
      name: run.liveboardName,
      vizIds: [1, 2].map((i) => nameUuid(`viz\u0000${liveboardId}\u0000${i}`)),
    },
    recipients: run.recipients,
    aiHighlights: run.aiHighlights,
    msgUniqueId: ctx.ns.ids.uuid(),
  });
  return { payload, file };
}

/** Where a user's file of this webhook's org goes in its bucket. */
export function objectTarget(ctx: RequestContext, dest: StorageDestination, org: string, user: string, file: string) {
  return storageTarget(dest, { cluster: instanceId(ctx), org, user, file, layout: ctx.deps.config.objectKeyLayout });
}

/** A failed upload: its text, and whether the report still lists the file (false: the storage service was unreachable). */
export interface UploadError {
  text: string;
  files: boolean;
}

/** The upload report a storage delivery attaches as its `file` part, in the payload page's shape. */
export function uploadReport(
  dest: StorageDestination,
  exported: OutgoingFile,
  target: ReturnType<typeof storageTarget>,
  error: UploadError | null,
): OutgoingFile {
  const entry = { filename: exported.name, contentType: exported.contentType, size: exported.bytes.length, provider: dest.storage_type };
  const report = !error
    ? {
        files: [
          {
            ...entry,
            bucketName: target.bucket,
            ...(target.region !== null && { region: target.region }),
            objectKey: target.key,
            uploadStatus: "SUCCESS",
          },
        ],
      }
    : !error.files
      ? { files: [], error: error.text }
      : {
          files: [{ ...entry, uploadStatus: "FAILED", errorMessage: error.text }],
          error: `all file uploads failed (1 files): ${error.text}`,
        };
  return { name: "upload-report.json", contentType: "application/json", bytes: Buffer.from(JSON.stringify(report)) };
}
