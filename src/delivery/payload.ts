/** A minimal, valid one-page PDF: the "export" attached to test and emulated deliveries. */
export const DUMMY_PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n" +
    "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n" +
    "trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n",
);

/**
 * `plain`: the export travels as the `file` part, so `exportRequest` carries the PDF and Liveboard
 * parameters. `storage`: the export went to a bucket and the `file` part is the upload report, so
 * `exportRequest` names only the object and request type (docs/decisions.md, "Delivery payload").
 */
export type PayloadVariant = "plain" | "storage";

/** The PDF and Liveboard export settings of a schedule; what is left out takes the documented example's value. */
export interface ExportSettings {
  orientation?: string;
  pageSize?: string;
  completeLiveboard?: boolean;
  includeCoverPage?: boolean;
  includeFilterPage?: boolean;
  includeLogo?: boolean;
  includePageNumber?: boolean;
  /** The footer text (default: the schedule name). */
  footerText?: string;
  truncateTables?: boolean;
  /** The visualizations exported (default: the Liveboard's first two). */
  vizIds?: string[];
}

export interface PayloadRecipient {
  type: "USER" | "EXTERNAL_EMAIL";
  id: string | null;
  name: string | null;
  email: string;
  locale: string;
}

export interface PayloadInput {
  variant: PayloadVariant;
  eventId: string;
  /** The run's time (epoch ms). */
  now: number;
  /** Where the cluster is reached, and its instance id. */
  baseUrl: string;
  instanceId: string;
  /** The webhook (channel) and the org the event comes from. */
  channelId: string;
  orgId: string;
  schedule: {
    id: string;
    name: string;
    description: string;
    creationTime: number;
    authorId: string;
    runId: string;
    /** The personalised view the schedule exports, if any. */
    view: { id: string; name: string } | null;
  };
  liveboard: { id: string; name: string; vizIds: string[] };
  recipients: PayloadRecipient[];
  /** Group recipients (ids or names), listed in `groupIds`. */
  groupIds?: string[];
  /** "" unless AI highlights are enabled for the Liveboard. */
  aiHighlights: string;
  msgUniqueId: string;
  /** Lower case, as the payload prints it (default "pdf"). */
  fileFormat?: string;
  export?: ExportSettings;
}

/** ISO-8601 UTC without milliseconds, as the documented payloads print times. */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function liveboardUrl(p: PayloadInput): string {
  const view = p.schedule.view ? `?view=${p.schedule.view.id}` : "";
  // The documented plain payload links like the schedule e-mail does; the storage one is the bare link.
  const query = p.variant === "plain" ? "?utm_source=scheduled-pinboard&utm_medium=email" : "";
  return `${p.baseUrl}/${query}#/pinboard/${p.liveboard.id}${view}`;
}

/** The export settings in the snake_case shape the payload page documents. */
function exportRequest(p: PayloadInput) {
  if (p.variant === "storage") return { object_type: "LIVEBOARD", request_type: "SCHEDULE" };
  const view = p.schedule.view;
  const x = p.export ?? {};
  return {
    object_type: "LIVEBOARD",
    pdf_params: { orientation: x.orientation ?? "LANDSCAPE", page_size: x.pageSize ?? "A4" },
    liveboard_params: {
      layout_type: "VISUALIZATION",
      ...(view && { personalised_view_id: view.id }),
      liveboard_viz_selection: { complete_liveboard: x.completeLiveboard ?? false, included_viz_id: x.vizIds ?? p.liveboard.vizIds },
      print_document_params: {
        include_cover_page: x.includeCoverPage ?? true,
        include_filter_page: x.includeFilterPage ?? true,
        pageFooterParams: {
          include_logo: x.includeLogo ?? true,
          include_page_number: x.includePageNumber ?? true,
          text: x.footerText ?? p.schedule.name,
        },
      },
      visualization_format_options: { truncate_tables: x.truncateTables ?? true },
    },
    request_type: "SCHEDULE",
  };
}

/**
 * The JSON `payload` part of a Liveboard schedule delivery: every field of the developer docs'
 * "Webhook payload" examples, in their order (docs/decisions.md, "Delivery payload").
 */
export function buildPayload(p: PayloadInput) {
  const view = p.schedule.view && { viewId: p.schedule.view.id, viewName: p.schedule.view.name };
  const users = p.recipients.filter((r) => r.type === "USER");
  return {
    eventId: p.eventId,
    timestamp: isoSeconds(p.now),
    eventType: "LIVEBOARD_SCHEDULE",
    schemaVersion: "1.0",
    source: { applicationName: "ThoughtSpot", applicationUrl: p.baseUrl, instanceId: p.instanceId, orgId: p.orgId },
    actor: { actorType: "SYSTEM" },
    metadataObject: {
      objectType: "LIVEBOARD",
      id: p.liveboard.id,
      name: view ? `${p.liveboard.name} (View: ${view.viewName})` : p.liveboard.name,
      url: liveboardUrl(p),
    },
    data: {
      scheduleDetails: {
        scheduleId: p.schedule.id,
        name: p.schedule.name,
        creationTime: isoSeconds(p.schedule.creationTime),
        description: p.schedule.description,
        authorId: p.schedule.authorId,
        ...(view && { viewInfo: view }),
        userIds: users.map((r) => r.id),
        groupIds: p.groupIds ?? [],
        runId: p.schedule.runId,
        exportRequest: exportRequest(p),
        fileFormat: p.fileFormat ?? "pdf",
        status: "SCHEDULED",
        emailIds: p.recipients.filter((r) => r.type === "EXTERNAL_EMAIL").map((r) => r.email),
      },
      recipients: p.recipients.map((r) => ({ type: r.type, id: r.id, name: r.name, email: r.email, locale: r.locale })),
      ...(view && { viewInfo: view }),
      aiHighlights: p.aiHighlights,
      msgUniqueId: p.msgUniqueId,
      channelID: p.channelId,
      channelType: "webhook",
      communicationType: "LiveboardSchedules",
    },
  };
}

/** One attachment: the export itself, or the upload report of a storage delivery. */
export interface OutgoingFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** multipart/form-data with a `payload` JSON part and a `file` part: the exact body bytes and the payload part's. */
export function buildMultipart(
  payload: unknown,
  file: OutgoingFile,
  boundary: string,
): { body: Buffer; payloadBytes: Buffer; contentType: string } {
  const head = (disposition: string, type: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: ${type}\r\n\r\n`);
  const payloadBytes = Buffer.from(JSON.stringify(payload));
  const body = Buffer.concat([
    head('name="payload"', "application/json"),
    payloadBytes,
    Buffer.from("\r\n"),
    head(`name="file"; filename="${file.name}"`, file.contentType),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, payloadBytes, contentType: `multipart/form-data; boundary=${boundary}` };
}
