/**
 * The shapes of the developer docs' "Webhook payload" examples (field names, nesting, order and
 * JSON types, written out here by hand) and a function that reduces a received JSON value to the
 * same form, so a test can compare every field of a delivery with the documented example.
 */

type Shape = string | Shape[] | { [key: string]: Shape };

/** A JSON value reduced to its shape: keys in order, leaves as their JSON type, arrays as their distinct element shapes. */
export function shapeOf(value: unknown): Shape {
  if (value === null) return "null";
  if (Array.isArray(value)) {
    const seen = new Map<string, Shape>();
    for (const v of value) {
      const s = shapeOf(v);
      seen.set(JSON.stringify(s), s);
    }
    return [...seen.values()];
  }
  if (typeof value === "object") return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

/** Indented JSON, so a mismatch (key order included) shows as a line diff. */
const text = (shape: Shape | object): string => JSON.stringify(shape, null, 1);

/** A received value's shape as text, to compare with one of the documented shapes below. */
export const shapeText = (value: unknown): string => text(shapeOf(value));

const S = "string";
const B = "boolean";
const VIEW = { viewId: S, viewName: S };
const TOP = (metadata: object) => ({
  eventId: S,
  timestamp: S,
  eventType: S,
  schemaVersion: S,
  source: { applicationName: S, applicationUrl: S, instanceId: S, orgId: S },
  actor: { actorType: S },
  metadataObject: metadata,
});
const METADATA = { objectType: S, id: S, name: S, url: S };
const RECIPIENTS = [{ type: S, id: S, name: S, email: S, locale: S }];
const TAIL = { aiHighlights: S, msgUniqueId: S, channelID: S, channelType: S, communicationType: S };

/** The multipart example ("Payload for other webhook endpoints"): a personalised view, PDF and Liveboard export settings. */
export const PLAIN_PAYLOAD_SHAPE = text({
  ...TOP(METADATA),
  data: {
    scheduleDetails: {
      scheduleId: S,
      name: S,
      creationTime: S,
      description: S,
      authorId: S,
      viewInfo: VIEW,
      userIds: [S],
      groupIds: [],
      runId: S,
      exportRequest: {
        object_type: S,
        pdf_params: { orientation: S, page_size: S },
        liveboard_params: {
          layout_type: S,
          personalised_view_id: S,
          liveboard_viz_selection: { complete_liveboard: B, included_viz_id: [S] },
          print_document_params: {
            include_cover_page: B,
            include_filter_page: B,
            pageFooterParams: { include_logo: B, include_page_number: B, text: S },
          },
          visualization_format_options: { truncate_tables: B },
        },
        request_type: S,
      },
      fileFormat: S,
      status: S,
      emailIds: [],
    },
    recipients: RECIPIENTS,
    viewInfo: VIEW,
    ...TAIL,
  },
});

/** The storage example ("Payload contents for storage destinations"): no view, a bare exportRequest. */
export const STORAGE_PAYLOAD_SHAPE = text({
  ...TOP(METADATA),
  data: {
    scheduleDetails: {
      scheduleId: S,
      name: S,
      creationTime: S,
      description: S,
      authorId: S,
      userIds: [S],
      groupIds: [],
      runId: S,
      exportRequest: { object_type: S, request_type: S },
      fileFormat: S,
      status: S,
      emailIds: [],
    },
    recipients: RECIPIENTS,
    ...TAIL,
  },
});

const FILE = { filename: S, contentType: S, size: "number", provider: S };
/** The upload reports of the payload page: delivered to S3, to GCS (no region), failed, storage unreachable. */
export const REPORT_SHAPES = {
  s3: text({ files: [{ ...FILE, bucketName: S, region: S, objectKey: S, uploadStatus: S }] }),
  gcs: text({ files: [{ ...FILE, bucketName: S, objectKey: S, uploadStatus: S }] }),
  failed: text({ files: [{ ...FILE, uploadStatus: S, errorMessage: S }], error: S }),
  unreachable: text({ files: [], error: S }),
};

/** Time formats of the payload: ISO-8601 UTC, seconds, "Z". */
export const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
