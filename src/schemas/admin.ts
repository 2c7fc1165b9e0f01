import { z } from "zod";
import { Identifier, LIMITS, Name } from "../limits.js";
import { JobStatus } from "./common.js";

/** Request bodies of the emulator's own routes under /_emulator. */

export const ResetRequest = z.object({ namespace: Identifier.optional() }).strict();

export const ClockRequest = z
  .object({
    now: z.union([Identifier, z.number()]).optional(),
    advance_ms: z.number().optional(),
    freeze: z.boolean().optional(),
  })
  .strict();

export const SynthesizeRequest = z
  .object({
    channel_identifier: Identifier.optional(),
    org_identifier: Identifier.optional(),
    days: z.number().min(0).max(3650).default(3),
    runs_per_day: z.number().min(0).max(100_000).default(8),
    failure_rate: z.number().min(0).max(1).default(0.05),
    retry_rate: z.number().min(0).max(1).default(0.1),
  })
  .strict();
export type SynthesizeRequest = z.infer<typeof SynthesizeRequest>;

export const DeliveryRequest = z
  .object({
    channel_identifier: Identifier.min(1),
    org_identifier: Identifier.optional(),
    schedule_name: Name.default("Weekly Sales Review"),
    liveboard_name: Name.default("Sales Overview"),
    recipients: z
      .array(
        z
          .object({
            type: z.enum(["USER", "EXTERNAL"]),
            id: Identifier.nullish(),
            name: Identifier.nullish(),
            email: Identifier.min(3),
            locale: z.string().min(1).max(64).optional(),
          })
          .strict(),
      )
      .max(LIMITS.entries)
      .optional(),
    /** The personalised view scheduled; null = none; left out = the payload variant's default. */
    view_name: z.string().min(1).nullable().optional(),
    ai_highlights: z.string().default(""),
    wait: z.boolean().default(false),
  })
  .strict();
export type DeliveryRequest = z.infer<typeof DeliveryRequest>;

const Kind = z.enum(["incoming", "outgoing"]);
const Status = z.coerce.number().int().min(0).max(599);
/** An emulator-clock instant: epoch milliseconds or an ISO time. */
const Instant = z
  .union([z.coerce.number().int(), z.string().datetime({ offset: true })])
  .transform((v) => (typeof v === "number" ? v : Date.parse(v)));

/** GET /_emulator/requests query: every filter optional, unknown ones refused. */
export const RequestsQuery = z
  .object({
    operation: z.string().max(100).optional(),
    method: z.string().max(10).optional(),
    path: z.string().max(2048).optional(),
    status: Status.optional(),
    kind: Kind.optional(),
    since: Instant.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** POST /_emulator/requests/find: what the requests must match (every given field). */
export const RequestMatcher = z
  .object({
    operation: z.string().max(100).optional(),
    method: z.string().max(10).optional(),
    path: z.string().max(2048).optional(),
    status: z.number().int().min(0).max(599).optional(),
    kind: Kind.optional(),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    since: z.union([z.number().int(), z.string().datetime({ offset: true })]).optional(),
  })
  .strict();

/** GET /_emulator/inbox[/<name>] query: long-poll with `after` and `wait_ms`. */
export const InboxQuery = z
  .object({
    after: z.string().max(40).optional(),
    wait_ms: z.coerce.number().int().min(0).max(30_000).default(0),
    webhook: z.string().max(256).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/**
 * GET /_emulator/history (the dashboard's history page): every job of the namespace within the
 * retention period, newest first, filtered and paged on the server.
 */
export const HistoryQuery = z
  .object({
    /** A webhook id or name (a deleted webhook's id still finds its jobs). */
    channel: Identifier.optional(),
    /** An org id or name. */
    org: Identifier.optional(),
    status: JobStatus.optional(),
    /** A schedule (event) id or name. */
    event: Identifier.optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export type HistoryQuery = z.infer<typeof HistoryQuery>;

/** GET /_emulator/history/histogram: jobs per day and status over the retention period. */
export const HistogramQuery = z
  .object({
    channel: Identifier.optional(),
    org: Identifier.optional(),
    event: Identifier.optional(),
    /** Days start at local midnight of this offset from UTC (minutes east, as the browser's -getTimezoneOffset()). */
    tz_offset_minutes: z.coerce.number().int().min(-900).max(900).default(0),
  })
  .strict();
export type HistogramQuery = z.infer<typeof HistogramQuery>;

/** GET /_emulator/outbox query: long-poll with `after` and `wait_ms`, narrowed to a schedule (id or name). */
export const OutboxQuery = z
  .object({
    after: z.string().max(40).optional(),
    wait_ms: z.coerce.number().int().min(0).max(30_000).default(0),
    schedule: z.string().max(256).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** POST /_emulator/schedules/:schedule/run query: the org (id or name), needed only when schedules of several orgs share the name. */
export const ScheduleRunQuery = z.object({ org: Identifier.optional() }).strict();
