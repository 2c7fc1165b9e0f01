import { z } from "zod";
import { Identifier } from "../limits.js";
import { EventType, JobStatus } from "./common.js";

/** Delivery history: the search request body and the job as answered and stored. */

const ONLY_WEBHOOK = "channel_type must be specified. Currently only WEBHOOK is supported.";
export const SearchHistoryRequest = z.object({
  channel_type: z.literal("WEBHOOK", { error: ONLY_WEBHOOK }),
  // At most one element each for WEBHOOK: the service says so in ThoughtSpot's words.
  job_ids: z.array(Identifier).optional(),
  channel_identifiers: z.array(Identifier).optional(),
  channel_status: JobStatus.optional(),
  events: z.array(z.object({ type: EventType, identifier: Identifier.nullish() })).optional(),
  start_epoch_time_in_millis: z.number().optional(),
  end_epoch_time_in_millis: z.number().optional(),
});
export type SearchHistoryRequest = z.infer<typeof SearchHistoryRequest>;

export const JobRecipient = z.object({
  type: z.enum(["USER", "EXTERNAL"]),
  id: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});
export type JobRecipient = z.infer<typeof JobRecipient>;

/** A delivery-history job in wire shape. */
export const ChannelHistoryJob = z.object({
  id: z.string(),
  status: JobStatus,
  creation_time_in_millis: z.number(),
  event: z.object({ type: EventType, id: z.string(), name: z.string().nullable(), run_id: z.string().nullable() }),
  recipients: z.array(JobRecipient).nullable(),
  detail: z.string().nullable(),
  try_count: z.number().int(),
});
export type ChannelHistoryJob = z.infer<typeof ChannelHistoryJob>;

/** A job with the keys the emulator indexes it by (channel = webhook id, org id). */
export interface JobRecord {
  ch: string;
  org: string;
  job: ChannelHistoryJob;
}
