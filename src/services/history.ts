import { badRequest } from "../errors.js";
import { lowerBound } from "../store/history.js";
import type { ChannelHistoryJob, JobRecord, JobStatus } from "../types.js";
import type { AuthedContext, RequestContext } from "./context.js";
import { findWebhook } from "./webhooks.js";

export interface HistorySearchInput {
  channel_type: "WEBHOOK";
  job_ids?: string[];
  channel_identifiers?: string[];
  channel_status?: JobStatus;
  events?: { type: "LIVEBOARD_SCHEDULE"; identifier?: string | null }[];
  start_epoch_time_in_millis?: number;
  end_epoch_time_in_millis?: number;
}

/** Stores jobs (new or updated) in the namespace's history; resolves when they are on disk. */
export function recordJobs(ctx: RequestContext, records: JobRecord[]): Promise<void> {
  return ctx.deps.store.putJobs(ctx.ns, records);
}

const retentionMs = (ctx: RequestContext) => ctx.deps.config.retentionDays * 24 * 3600 * 1000;

/**
 * POST /jobs/history/communication-channels/search. For WEBHOOK: job_ids, channel_identifiers and
 * events take at most one element; job_ids alone decides when given; otherwise channel_identifiers
 * and events are both required. Newest first; nothing older than the retention period.
 */
export function searchHistory(ctx: AuthedContext, input: HistorySearchInput): { jobs: ChannelHistoryJob[] } {
  for (const key of ["job_ids", "channel_identifiers", "events"] as const) {
    if ((input[key]?.length ?? 0) > 1) throw badRequest(`${key} can contain at most one element for channel_type WEBHOOK.`);
  }
  const { ns, principal } = ctx;
  const cutoff = ctx.deps.clock.now() - retentionMs(ctx);
  const visible = (r: JobRecord | undefined): r is JobRecord =>
    r !== undefined && r.org === principal.org.id && r.job.creation_time_in_millis >= cutoff;

  const jobId = input.job_ids?.[0];
  if (jobId !== undefined) {
    const rec = ns.history.get(jobId);
    return { jobs: visible(rec) ? [rec.job] : [] };
  }
  const channel = input.channel_identifiers?.[0];
  const event = input.events?.[0];
  if (channel === undefined || event === undefined) {
    throw badRequest("channel_identifiers and events must both be specified with exactly one element when job_ids is not given.");
  }
  // A deleted webhook's history stays searchable by its id until retention expires it.
  const channelId = findWebhook(ns, principal.org.id, channel)?.id ?? channel;
  const list = ns.history.byChannel(channelId, event.identifier ?? undefined);
  const from = Math.max(cutoff, input.start_epoch_time_in_millis ?? -Infinity);
  const to = input.end_epoch_time_in_millis ?? Infinity;
  const jobs: ChannelHistoryJob[] = [];
  for (let i = list.length - 1, stop = lowerBound(list, from); i >= stop; i--) {
    const r = list[i];
    if (r.job.creation_time_in_millis >= to || r.org !== principal.org.id) continue;
    if (input.channel_status && r.job.status !== input.channel_status) continue;
    jobs.push(r.job);
  }
  return { jobs };
}
