import type { RequestContext } from "../context.js";
import { buildPayload, DUMMY_PDF, type ExportSettings, type OutgoingFile, type PayloadRecipient } from "../delivery/payload.js";
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
  /** The Liveboard's id and visualizations (a fixture Liveboard's); default: stable ids of its name. */
  liveboard?: { id: string; vizIds: string[] };
  /** A view name, null for none; undefined: the variant's default (plain: DEFAULT_VIEW_NAME, storage: none). */
  viewName?: string | null;
  /** The view's id when it is a fixture Liveboard's view (default: a stable id of its name). */
  viewId?: string;
  recipients: PayloadRecipient[];
  groupIds?: string[];
  aiHighlights: string;
  fileFormat?: string;
  export?: ExportSettings;
}

/** Stable ids of a Liveboard the fixtures do not have (POST /_emulator/deliveries names one freely). */
export function liveboardIdsOf(name: string): { id: string; vizIds: string[] } {
  const id = nameUuid(`liveboard\u0000${name}`);
  return { id, vizIds: [1, 2].map((i) => nameUuid(`viz\u0000${id}\u0000${i}`)) };
}

/** The payload and the file part of one run at a webhook; the message is the same on every try. */
export function scheduleMessage(ctx: RequestContext, w: WebhookRecord, run: ScheduleRun, file: OutgoingFile): Message {
  const variant = w.storage_destination ? "storage" : "plain";
  const board = run.liveboard ?? liveboardIdsOf(run.liveboardName);
  const liveboardId = board.id;
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
      view: viewName === null ? null : { id: run.viewId ?? nameUuid(`view\u0000${liveboardId}\u0000${viewName}`), name: viewName },
    },
    liveboard: { id: liveboardId, name: run.liveboardName, vizIds: board.vizIds },
    recipients: run.recipients,
    ...(run.groupIds && { groupIds: run.groupIds }),
    aiHighlights: run.aiHighlights,
    msgUniqueId: ctx.ns.ids.uuid(),
    ...(run.fileFormat && { fileFormat: run.fileFormat }),
    ...(run.export && { export: run.export }),
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

const EXPORT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * The export a run attaches (or uploads): `<Liveboard>.<format>`. The PDF is a valid one-page PDF;
 * CSV a small table of the Liveboard; XLSX only carries the right name and type (its bytes are a
 * placeholder, not a workbook: README, "Schedules").
 */
export function exportOf(liveboardName: string, format: string): OutgoingFile {
  const name = `${liveboardName.replace(/[^\w.-]+/g, "_")}.${format}`;
  const contentType = EXPORT_TYPES[format] ?? "application/octet-stream";
  if (format === "csv") {
    const cell = (v: string) => `"${v.replace(/"/g, '""')}"`;
    return {
      name,
      contentType,
      bytes: Buffer.from(`${cell("Liveboard")},${cell("Exported by")}\r\n${cell(liveboardName)},"ThoughtSpot emulator"\r\n`),
    };
  }
  if (format === "xlsx") return { name, contentType, bytes: Buffer.from(`XLSX export of ${liveboardName} (emulator placeholder)\n`) };
  return { name, contentType, bytes: DUMMY_PDF };
}
