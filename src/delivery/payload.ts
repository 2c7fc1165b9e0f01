import type { Ids } from "../random.js";

/** A minimal, valid one-page PDF: the "export" attached to test and emulated deliveries. */
export const DUMMY_PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n" +
    "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n" +
    "trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n",
);

export interface PayloadInput {
  eventId: string;
  now: number;
  /** The webhook (channel) and its org. */
  channelId: string;
  orgId: string;
  baseUrl: string;
  schedule: { id: string; name: string; runId: string; authorId: string; description: string };
  liveboard: { id: string; name: string };
  recipients: { type: "USER" | "EXTERNAL_EMAIL"; id: string | null; name: string | null; email: string }[];
  ids: Ids;
}

/** The JSON `payload` part of a Liveboard schedule delivery (docs/decisions.md, "Deliveries"). */
export function buildPayload(p: PayloadInput) {
  const iso = new Date(p.now).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    eventId: p.eventId,
    timestamp: iso,
    eventType: "LIVEBOARD_SCHEDULE",
    schemaVersion: "1.0",
    source: { applicationName: "ThoughtSpot", applicationUrl: p.baseUrl, instanceId: "emulator", orgId: p.orgId },
    actor: { actorType: "SYSTEM", id: null, name: null, email: null },
    metadataObject: {
      objectType: "LIVEBOARD",
      id: p.liveboard.id,
      name: p.liveboard.name,
      url: `${p.baseUrl}/#/pinboard/${p.liveboard.id}`,
    },
    data: {
      scheduleDetails: {
        scheduleId: p.schedule.id,
        name: p.schedule.name,
        creationTime: iso,
        description: p.schedule.description,
        authorId: p.schedule.authorId,
        userIds: p.recipients.filter((r) => r.type === "USER").map((r) => r.id),
        groupIds: [],
        runId: p.schedule.runId,
        fileFormat: "pdf",
        status: "SCHEDULED",
        emailIds: p.recipients.filter((r) => r.type === "EXTERNAL_EMAIL").map((r) => r.email),
      },
      recipients: p.recipients.map((r) => ({ ...r, locale: "en-US" })),
      msgUniqueId: p.ids.uuid(),
      channelID: p.channelId,
      channelType: "webhook",
      communicationType: "LiveboardSchedules",
    },
  };
}

/** multipart/form-data with a `payload` JSON part and a `file` part; returns the exact bytes. */
export interface OutgoingFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export function buildMultipart(payload: unknown, file: OutgoingFile, boundary: string): { body: Buffer; contentType: string } {
  const head = (disposition: string, type: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: ${type}\r\n\r\n`);
  const body = Buffer.concat([
    head('name="payload"', "application/json"),
    Buffer.from(JSON.stringify(payload)),
    Buffer.from("\r\n"),
    head(`name="file"; filename="${file.name}"`, file.contentType),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
